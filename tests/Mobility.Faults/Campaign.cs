using System.Diagnostics;
using System.Globalization;

namespace Mobility.Faults;

/// <summary>What a campaign runs: how many runs (or for how long), each how long, with which faults.</summary>
internal sealed record CampaignOptions(int Seed, int? Runs, TimeSpan? Total, TimeSpan RunLength, IReadOnlyList<NemesisKind> Faults, Timings Timings, bool Verbose)
{
    public static readonly string[] Nodes = ["a", "b", "c"];

    public const int Processes = 4;

    public const int SendersPerNode = 2;

    public static CampaignOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault();
        int? Number(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        var faults = (Value("--faults") ?? "all") switch
        {
            "all" => Enum.GetValues<NemesisKind>(),
            "none" => [],
            var list => list.Split(',').Select(kind => Enum.Parse<NemesisKind>(kind, ignoreCase: true)).ToArray(),
        };
        var minutes = Value("--minutes") is { } m ? TimeSpan.FromMinutes(double.Parse(m, CultureInfo.InvariantCulture)) : (TimeSpan?)null;
        return new CampaignOptions(
            Number("--seed") ?? Random.Shared.Next(1, 1_000_000),
            Number("--runs") ?? (minutes is null ? 1 : null),
            minutes,
            TimeSpan.FromSeconds(Number("--run-seconds") ?? 30),
            faults,
            Value("--timings") == "default" ? Timings.Default : Timings.Fast,
            args.Contains("--verbose"));
    }
}

/// <summary>What one run found.</summary>
internal sealed record RunResult(int Seed, History History, IReadOnlyList<Violation> Violations, IReadOnlyList<NemesisStep> Schedule);

/// <summary>
/// The campaign: each run starts three nodes in child OS processes, spawns the test processes, runs the senders, the
/// mover and the nemesis of its seed's schedule, then heals everything, waits for every outcome, collects what runs
/// where, kills the nodes and checks the history. Run <c>i</c> of a campaign seeded <c>S</c> has seed <c>S + i</c>;
/// <c>--seed S+i --runs 1</c> replays its schedule.
/// </summary>
internal static class Campaign
{
    public const string Verb = "campaign";

    public static async Task<int> MainAsync(string[] args)
    {
        var options = CampaignOptions.Parse(args);
        Console.WriteLine($"fault campaign: seed {options.Seed}, {(options.Runs is { } r ? $"{r} runs" : $"{options.Total!.Value.TotalMinutes} minutes")} of " +
            $"{options.RunLength.TotalSeconds} s, faults: {(options.Faults.Count == 0 ? "none" : string.Join(",", options.Faults))}, timings {options.Timings}");
        var wall = Stopwatch.StartNew();
        List<RunResult> results = [];
        for (var run = 0; options.Runs is { } runs ? run < runs : wall.Elapsed + options.RunLength < options.Total; run++)
        {
            var seed = options.Seed + run;
            var result = await RunAsync(seed, options);
            results.Add(result);
            Console.WriteLine($"run {run} (seed {seed}): {Summary.OfRun(result)}");
            foreach (var violation in result.Violations.GroupBy(v => v.Kind).SelectMany(g => g.Take(3)))
            {
                Console.WriteLine($"    {violation}");
            }
        }

        Console.WriteLine(Summary.OfCampaign(options, results, wall.Elapsed));
        return results.Any(r => r.Violations.Count > 0) ? 1 : 0;
    }

    public static async Task<RunResult> RunAsync(int seed, CampaignOptions options)
    {
        var schedule = Schedule.Plan(seed, options.Faults, CampaignOptions.Nodes, options.RunLength, options.Timings);
        if (options.Verbose)
        {
            Console.WriteLine($"  schedule of seed {seed}:{string.Concat(schedule.Select(step => $"{Environment.NewLine}    {step}"))}");
        }

        await using var run = new Run(seed, options);
        return await run.ExecuteAsync(schedule);
    }

    /// <summary>One run's moving parts; disposing it kills every child, whatever happened.</summary>
    private sealed class Run(int seed, CampaignOptions options) : IAsyncDisposable
    {
        private static readonly TimeSpan SetupDeadline = TimeSpan.FromSeconds(60);

        private readonly Recorder _recorder = new();
        private readonly Dictionary<string, ChildNode> _nodes = new(StringComparer.Ordinal);
        private readonly List<ChildNode> _everyChild = [];
        private readonly Lock _gate = new();
        private readonly List<string> _processes = [];
        private readonly List<Task> _senders = [];
        private readonly Dictionary<string, int> _incarnation = new(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new();
        private NemesisStep? _killInMove;

        private Timings Timings => options.Timings;

        /// <summary>How long a loop waits for one answer before it goes on without it (the op stays open; a late answer still completes it).</summary>
        private TimeSpan Patience => Timings.Move * 2 + TimeSpan.FromSeconds(2);

        public async Task<RunResult> ExecuteAsync(IReadOnlyList<NemesisStep> schedule)
        {
            foreach (var name in CampaignOptions.Nodes)
            {
                await StartNodeAsync(name, first: true);
            }

            var spawnRandom = new Random(seed ^ 0x5eed);
            for (var i = 0; i < CampaignOptions.Processes; i++)
            {
                var home = Node(CampaignOptions.Nodes[spawnRandom.Next(CampaignOptions.Nodes.Length)]);
                var pid = await home.AskAsync("spawn", SetupDeadline);
                foreach (var other in _nodes.Values.Where(n => n != home))
                {
                    await other.AskAsync($"ref {pid} {home.Name}", SetupDeadline);
                }

                lock (_gate)
                {
                    _processes.Add(pid);
                }
            }

            foreach (var name in CampaignOptions.Nodes)
            {
                StartSenders(name);
            }

            var mover = Task.Run(() => MoverAsync(new Random(seed * 31 + 7)));
            var nemesis = Task.Run(() => NemesisAsync(schedule));
            await Task.Delay(options.RunLength);
            await nemesis;
            await HealAllAsync();
            _stop.Cancel();
            await mover;
            Task[] senders;
            lock (_gate)
            {
                senders = [.. _senders];
            }

            await Task.WhenAll(senders);
            // Every sender's barrier call is in; now every open operation of a live sender gets until the deadline.
            var deadline = _recorder.Now + Patience;
            while (_recorder.Operations.Any(op => op.Outcome == Outcome.Pending && Node(op.SenderNode).IsAlive) && _recorder.Now < deadline)
            {
                await Task.Delay(50);
            }

            var (final, alive) = await FinalReportAsync();
            var history = _recorder.ToHistory([.. _processes], final, alive, _recorder.Now, Timings);
            return new RunResult(seed, history, Checker.Check(history), schedule);
        }

        private ChildNode Node(string name)
        {
            lock (_gate)
            {
                return _nodes[name];
            }
        }

        private async Task StartNodeAsync(string name, bool first)
        {
            var child = await ChildNode.StartAsync(name, Timings, _recorder, options.Verbose);
            List<ChildNode> others;
            lock (_gate)
            {
                _everyChild.Add(child);
                others = [.. _nodes.Values.Where(n => n.IsAlive && n.Name != name)];
                _nodes[name] = child;
            }

            foreach (var other in others)
            {
                // A restart under the same name is refused until the others have declared the old incarnation down: retry till then.
                await Until(async () =>
                {
                    try
                    {
                        await child.AskAsync($"connect {other.Port}", SetupDeadline);
                        return true;
                    }
                    catch (InvalidOperationException) when (!first)
                    {
                        await Task.Delay(200);
                        return false;
                    }
                }, $"node '{name}' joins '{other.Name}'");
            }

            // Up when it sees every other live node (and they see it).
            await Until(async () =>
            {
                var peers = (await child.AskAsync("peers", SetupDeadline)).Split(',');
                return others.All(o => peers.Contains(o.Name));
            }, $"node '{name}' sees its peers");
            if (!first)
            {
                List<string> processes;
                lock (_gate)
                {
                    processes = [.. _processes];
                }

                foreach (var pid in processes)
                {
                    var hint = _recorder.LocationOf(pid) is { } where && where != name ? where : others[0].Name;
                    await child.AskAsync($"ref {pid} {hint}", SetupDeadline);
                }
            }
        }

        private void StartSenders(string node)
        {
            lock (_gate)
            {
                var incarnation = _incarnation[node] = _incarnation.GetValueOrDefault(node, -1) + 1;
                for (var i = 0; i < CampaignOptions.SendersPerNode; i++)
                {
                    var name = $"{node}{i}.{incarnation}";
                    var random = new Random(HashCode.Combine(seed, node, i, incarnation) & int.MaxValue);
                    var child = _nodes[node];
                    _senders.Add(Task.Run(() => SenderAsync(name, child, random)));
                }
            }
        }

        /// <summary>One sender: numbered calls and casts to random processes, one at a time; a last call to each process as a barrier.</summary>
        private async Task SenderAsync(string name, ChildNode node, Random random)
        {
            List<string> processes;
            lock (_gate)
            {
                processes = [.. _processes];
            }

            var numbers = processes.ToDictionary(p => p, _ => 0L);
            while (!_stop.IsCancellationRequested && node.IsAlive)
            {
                var process = processes[random.Next(processes.Count)];
                var kind = random.Next(2) == 0 ? OpKind.Call : OpKind.Cast;
                await OperateAsync(name, node, process, kind, ++numbers[process]);
                await Task.Delay(random.Next(2, 12));
            }

            foreach (var process in processes)
            {
                if (node.IsAlive)
                {
                    await OperateAsync(name, node, process, OpKind.Call, ++numbers[process]);
                }
            }
        }

        private async Task OperateAsync(string sender, ChildNode node, string process, OpKind kind, long n)
        {
            var op = _recorder.Begin(kind, sender, node.Name, process, n);
            var reply = node.Send($"{(kind == OpKind.Call ? "call" : "cast")} {sender} {process} {n}");
            _ = reply.ContinueWith(answer => _recorder.Complete(op, answer.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            await Task.WhenAny(reply, Task.Delay(Patience));
        }

        /// <summary>Moves a random process to a random other node, one move at a time, from a random live node; the nemesis may ask to kill one end.</summary>
        private async Task MoverAsync(Random random)
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(random.Next(20, 150));
                string process;
                lock (_gate)
                {
                    process = _processes[random.Next(_processes.Count)];
                }

                var where = _recorder.LocationOf(process);
                var destination = CampaignOptions.Nodes.Where(n => n != where).ElementAt(random.Next(CampaignOptions.Nodes.Length - (where is null ? 0 : 1)));
                var issuerName = CampaignOptions.Nodes[random.Next(CampaignOptions.Nodes.Length)];
                var issuer = Node(issuerName);
                if (!issuer.IsAlive || issuer.IsPaused || !Node(destination).IsAlive)
                {
                    continue;
                }

                var op = _recorder.Begin(OpKind.Move, "mover", issuerName, process, 0, destination);
                var reply = issuer.Send($"move {process} {destination}");
                _ = reply.ContinueWith(answer => _recorder.Complete(op, answer.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                var kill = Interlocked.Exchange(ref _killInMove, null);
                if (kill is not null)
                {
                    await Task.Delay(kill.Delay);
                    var victim = kill.KillSource && where is not null ? where : destination;
                    _ = KillAndRestartAsync(victim, kill.Length, inMove: true);
                }

                await Task.WhenAny(reply, Task.Delay(Patience));
            }
        }

        private async Task NemesisAsync(IReadOnlyList<NemesisStep> schedule)
        {
            foreach (var step in schedule)
            {
                var wait = step.At - _recorder.Now;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var node = Node(step.Node);
                switch (step.Kind)
                {
                    case NemesisKind.Kill:
                        await KillAndRestartAsync(step.Node, step.Length);
                        break;
                    case NemesisKind.KillInMove:
                        Volatile.Write(ref _killInMove, step);
                        await Task.Delay(step.Length + TimeSpan.FromSeconds(1));
                        // A kill asked for and not done (no move began) lapses.
                        Interlocked.Exchange(ref _killInMove, null);
                        await WaitForRestartsAsync();
                        break;
                    case NemesisKind.Pause:
                        var at = _recorder.Now;
                        _recorder.Fault(new NodeFault(NodeFaultKind.Pause, step.Node, at));
                        node.Pause();
                        await Task.Delay(step.Length);
                        node.Resume();
                        _recorder.Resumed(step.Node, _recorder.Now);
                        break;
                    case NemesisKind.Partition or NemesisKind.OneWay:
                        var peer = Node(step.Peer);
                        await TryAsync(peer, $"block {step.Node}");
                        if (step.Kind == NemesisKind.Partition)
                        {
                            await TryAsync(node, $"block {step.Peer}");
                        }

                        var from = _recorder.Now;
                        await Task.Delay(step.Length);
                        await TryAsync(peer, $"unblock {step.Node}");
                        await TryAsync(node, $"unblock {step.Peer}");
                        _recorder.Fault(new NodeFault(step.Kind == NemesisKind.Partition ? NodeFaultKind.Partition : NodeFaultKind.OneWay, $"{step.Node}-{step.Peer}", from, _recorder.Now));
                        break;
                }
            }
        }

        private readonly List<Task> _restarts = [];

        private Task KillAndRestartAsync(string name, TimeSpan down, bool inMove = false)
        {
            var node = Node(name);
            if (!node.IsAlive)
            {
                return Task.CompletedTask;
            }

            node.Kill();
            _recorder.Fault(new NodeFault(NodeFaultKind.Kill, name, _recorder.Now, InMove: inMove));
            var restart = Task.Run(async () =>
            {
                await node.Exited.WaitAsync(SetupDeadline);
                await Task.Delay(down);
                try
                {
                    await StartNodeAsync(name, first: false);
                }
                catch (Exception failure) when (failure is TimeoutException or InvalidOperationException or NodeGoneException)
                {
                    // The run goes on without it; its processes and senders are gone, as with any killed node.
                    Console.Error.WriteLine($"  node '{name}' could not restart: {failure.Message}");
                    return;
                }

                _recorder.Fault(new NodeFault(NodeFaultKind.Restart, name, _recorder.Now));
                if (!_stop.IsCancellationRequested)
                {
                    StartSenders(name);
                }
            });
            lock (_gate)
            {
                _restarts.Add(restart);
            }

            return restart;
        }

        private async Task WaitForRestartsAsync()
        {
            Task[] restarts;
            lock (_gate)
            {
                restarts = [.. _restarts];
            }

            await Task.WhenAll(restarts).WaitAsync(SetupDeadline);
        }

        private async Task HealAllAsync()
        {
            await WaitForRestartsAsync();
            foreach (var node in _nodes.Values)
            {
                node.Resume();
                if (node.IsAlive)
                {
                    await TryAsync(node, "unblock-all");
                }
            }
        }

        private static async Task TryAsync(ChildNode node, string command)
        {
            try
            {
                await node.AskAsync(command, SetupDeadline);
            }
            catch (Exception failure) when (failure is NodeGoneException or TimeoutException or InvalidOperationException)
            {
                // a dead node needs no healing
            }
        }

        /// <summary>Every live node's running copies with their state, asked of each copy itself.</summary>
        private async Task<(List<FinalCopy> Final, List<string> Alive)> FinalReportAsync()
        {
            List<FinalCopy> final = [];
            List<string> alive = [];
            foreach (var node in _nodes.Values.Where(n => n.IsAlive))
            {
                string dump;
                try
                {
                    dump = await node.AskAsync("dump", Patience);
                }
                catch (Exception failure) when (failure is NodeGoneException or TimeoutException or InvalidOperationException)
                {
                    Console.Error.WriteLine($"  node '{node.Name}' gave no final report: {failure.Message}");
                    continue;
                }

                alive.Add(node.Name);
                foreach (var entry in dump == "-" ? [] : dump.Split(' '))
                {
                    // PID|COPY|NODE|STATE
                    var parts = entry.Split('|');
                    var state = parts[3] == "-"
                        ? new Dictionary<string, IReadOnlyList<long>>()
                        : parts[3].Split(';').Select(s => s.Split('=')).ToDictionary(
                            s => s[0], s => (IReadOnlyList<long>)[.. s[1].Split(',').Select(n => long.Parse(n, CultureInfo.InvariantCulture))]);
                    final.Add(new FinalCopy(parts[0], parts[1], node.Name, state));
                }
            }

            return (final, alive);
        }

        private static async Task Until(Func<Task<bool>> condition, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (!await condition())
            {
                if (deadline.Elapsed > SetupDeadline)
                {
                    throw new TimeoutException($"gave up after {SetupDeadline.TotalSeconds} s waiting until {what}");
                }

                await Task.Delay(20);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            List<ChildNode> children;
            lock (_gate)
            {
                children = [.. _everyChild];
            }

            foreach (var child in children)
            {
                await child.DisposeAsync();
            }

            _stop.Dispose();
        }
    }
}
