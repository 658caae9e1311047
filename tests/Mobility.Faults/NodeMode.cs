using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mobility.Transport.Faults;

namespace Mobility.Faults;

/// <summary>
/// The hidden <c>node</c> mode: one Mobility node on loopback in this OS process, driven by the campaign over stdin
/// (one command a line: <c>ID VERB ARGS...</c>) and answering on stdout (<c>R ID ok|fail|unknown ...</c>, see
/// <see cref="NodeReporter"/>); its processes' events go the same way. Commands run concurrently, each answered once.
/// The end of stdin (the campaign stopped or died) ends the process at once.
/// </summary>
/// <remarks>
/// Verbs: <c>spawn</c> → the new process's id; <c>ref PID HINT</c> (know a process spawned elsewhere); <c>call SENDER PID N</c>
/// → <c>COPY NODE</c> of the copy that handled it; <c>cast SENDER PID N</c>; <c>move PID NODE</c> (SendMeAsync);
/// <c>connect PORT</c>; <c>peers</c>; <c>copies</c> (the running local copies, <c>PID:COPY</c>...); <c>dump</c> (each local
/// copy's state, asked of the copy itself, <c>PID|COPY|NODE|STATE</c>...); <c>block PEER</c> / <c>unblock PEER</c> /
/// <c>unblock-all</c> (this node's own <see cref="FaultInjector"/>: frames it receives from PEER are held — a partition
/// a↔b tells both a and b); <c>quit</c>. Every answer to an operation carries its start and end on the monotonic clock
/// as seen here: <c>R ID STATUS START END ...</c>.
/// </remarks>
internal static class NodeMode
{
    public const string Verb = "node";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = NodeOptions.Parse(args);
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        var reporter = new NodeReporter(options.Name, stdout);
        var faults = new FaultInjector();
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter((category, level) => level >= (options.Verbose ? LogLevel.Information : LogLevel.Warning))
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddSingleton(reporter)
            .AddMobility(o =>
            {
                o.NodeName = options.Name;
                o.Cookie = "fault-campaign";
                o.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                o.CallTimeout = options.Timings.Call;
                o.HeartbeatInterval = options.Timings.Heartbeat;
                o.FailureDetectionTimeout = options.Timings.FailureDetection;
                o.MigrationTimeout = options.Timings.Migration;
                o.Faults = faults;
            })
            .AddMobileProcesses()
            .BuildServiceProvider();
        var node = services.GetRequiredService<MobilityNode>();
        await node.StartAsync();
        var served = new Served(node, reporter, faults);
        reporter.Line($"READY {node.LocalEndPoint!.Port.ToString(CultureInfo.InvariantCulture)}");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line.Split(' ') is [var id, "quit"])
            {
                reporter.Line($"R {id} ok");
                break;
            }

            _ = Task.Run(() => served.ExecuteAsync(line));
        }

        // The campaign is gone or done: nothing here is worth a graceful stop.
        await stdout.FlushAsync();
        Environment.Exit(0);
        return 0;
    }

    private sealed class Served(MobilityNode node, NodeReporter reporter, FaultInjector faults)
    {
        private readonly Dictionary<string, ProcessRef<FaultProcess>> _refs = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();

        public async Task ExecuteAsync(string line)
        {
            var words = line.Split(' ');
            var id = words[0];
            var start = Stopwatch.GetTimestamp();
            string answer;
            try
            {
                answer = "ok " + await RunAsync(words.AsSpan(1).ToArray());
            }
            catch (Exception failure)
            {
                answer = $"{Outcomes.Classify(failure)} {failure.GetType().Name}{Reason(failure)} {Flat(failure.Message)}";
            }

            var end = Stopwatch.GetTimestamp();
            var space = answer.IndexOf(' ');
            reporter.Line(string.Create(CultureInfo.InvariantCulture, $"R {id} {answer[..space]} {start} {end} {answer[(space + 1)..]}"));
        }

        private static string Reason(Exception failure) => failure switch
        {
            MigrationFailedException migration => $":{migration.Reason}",
            ProcessStoppedException stopped => $":{stopped.Reason}",
            _ => "",
        };

        private static string Flat(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

        private async Task<string> RunAsync(string[] words)
        {
            switch (words)
            {
                case ["spawn"]:
                    var spawned = await node.SpawnAsync<FaultProcess>();
                    Remember(spawned);
                    return spawned.Id.ToString();
                case ["ref", var pid, var hint]:
                    Remember(new ProcessRef<FaultProcess>(ProcessId.Parse(pid), hint, node.Router));
                    return "-";
                case ["call", var sender, var pid, var n]:
                    return await Ref(pid).HandleAsync(sender, long.Parse(n, CultureInfo.InvariantCulture));
                case ["cast", var sender, var pid, var n]:
                    Ref(pid).Note(sender, long.Parse(n, CultureInfo.InvariantCulture));
                    return "-";
                case ["move", var pid, var destination]:
                    await Ref(pid).SendMeAsync(Destination.Node(destination));
                    return "-";
                case ["connect", var port]:
                    return await node.ConnectAsync(new IPEndPoint(IPAddress.Loopback, int.Parse(port, CultureInfo.InvariantCulture)));
                case ["peers"]:
                    return string.Join(',', node.Nodes.Order(StringComparer.Ordinal)) is { Length: > 0 } peers ? peers : "-";
                case ["copies"]:
                    return string.Join(' ', Local().Select(local => $"{local.Process.Id}:{local.Copy}")) is { Length: > 0 } copies ? copies : "-";
                case ["dump"]:
                    var dumps = new List<string>();
                    foreach (var (process, _) in Local())
                    {
                        var state = await process.DumpAsync();
                        dumps.Add($"{process.Id}|{state.Replace(' ', '|')}");
                    }

                    return dumps.Count > 0 ? string.Join(' ', dumps) : "-";
                case ["block", var peer]:
                    faults.Link(peer, node.Name).Blackhole();
                    return "-";
                case ["unblock", var peer]:
                    faults.Link(peer, node.Name).Heal();
                    return "-";
                case ["unblock-all"]:
                    faults.HealAll();
                    return "-";
                default:
                    throw new ArgumentException($"unknown command '{string.Join(' ', words)}'");
            }
        }

        /// <summary>The copies of the campaign's process type running here now (not frozen for a move: running).</summary>
        private List<(ProcessRef<FaultProcess> Process, string Copy)> Local() =>
            [.. node.Context.Routes.Local
                .Where(local => local.IsRunning && local.Instance is FaultProcess)
                .Select(local => ((ProcessRef<FaultProcess>)local.Self, ((FaultProcess)local.Instance).Copy))];

        private void Remember(ProcessRef<FaultProcess> process)
        {
            lock (_gate)
            {
                _refs[process.Id.ToString()] = process;
            }
        }

        private ProcessRef<FaultProcess> Ref(string pid)
        {
            lock (_gate)
            {
                return _refs.TryGetValue(pid, out var process) ? process : throw new ArgumentException($"no reference to {pid} here");
            }
        }
    }
}

/// <summary>The timeouts every node of a campaign runs with (shorter than the defaults, so that a run sees many faults).</summary>
internal sealed record Timings(TimeSpan Call, TimeSpan Heartbeat, TimeSpan FailureDetection, TimeSpan Migration)
{
    /// <summary>The campaign's default: the product's ratios (call = migration step = failure detection), scaled down.</summary>
    public static Timings Fast { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

    /// <summary>The product's defaults (MobilityOptions).</summary>
    public static Timings Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    /// <summary>How long a move may take by the protocol: an offer step and a commit step.</summary>
    public TimeSpan Move => Migration * 2;

    public IEnumerable<string> ToArguments() =>
        ["--call-ms", Ms(Call), "--heartbeat-ms", Ms(Heartbeat), "--detect-ms", Ms(FailureDetection), "--migration-ms", Ms(Migration)];

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}

/// <summary>The command line of the <c>node</c> mode.</summary>
internal sealed record NodeOptions(string Name, Timings Timings, bool Verbose)
{
    public static NodeOptions Parse(string[] args)
    {
        string Value(string name, string fallback) => args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault() ?? fallback;
        TimeSpan Ms(string name, TimeSpan fallback) =>
            TimeSpan.FromMilliseconds(double.Parse(Value(name, fallback.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
        var fast = Timings.Fast;
        return new NodeOptions(
            Value("--name", "a"),
            new Timings(Ms("--call-ms", fast.Call), Ms("--heartbeat-ms", fast.Heartbeat), Ms("--detect-ms", fast.FailureDetection), Ms("--migration-ms", fast.Migration)),
            args.Contains("--verbose"));
    }
}
