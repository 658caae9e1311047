using System.Diagnostics;
using System.Runtime.InteropServices;
using Mobility.Benchmarks;
using Mobility.Benchmarks.Contenders;

// Mobility against Akka.NET, Proto.Actor and Orleans, one run (workload 3's second nodes in child processes). See "## Benchmarks" in README.md.
//   dotnet run -c Release --project tests/Mobility.Benchmarks -- all --short [--out FILE]
//   --only Mobility,Orleans restricts the frameworks measured; --no-bdn skips the BenchmarkDotNet section.
//   --sizes 1024,1048576 restricts workload 5 to those state sizes (bytes).
//   workloads: all | local | remote | spawn | migration | load | alloc | bdn (BenchmarkDotNet, local request/reply)
var workload = args.FirstOrDefault() ?? "";
IContender[] contenders = [new MobilityContender(), new AkkaContender(), new ProtoContender(), new OrleansContender()];
// Hidden mode: the second node of workload 3, in its own OS process, launched and driven by RemoteNode.
if (workload == RemoteNode.Mode)
{
    var served = contenders.FirstOrDefault(c => c.Name.Equals(args.ElementAtOrDefault(1), StringComparison.OrdinalIgnoreCase));
    Environment.Exit(served is null ? 2 : await RemoteNode.ServeAsync(served));
}

var full = !args.Contains("--short");
var output = args.SkipWhile(arg => arg != "--out").Skip(1).FirstOrDefault() ?? "benchmark-results.md";
string[] known = ["all", "local", "remote", "spawn", "migration", "load", "alloc", "bdn"];
if (!known.Contains(workload))
{
    Console.Error.WriteLine($"usage: Mobility.Benchmarks <{string.Join('|', known)}> [--short] [--out FILE]");
    return 2;
}

if (workload == "bdn")
{
    BdnLocal.Run(args.Skip(1).Where(arg => arg != "--short").ToArray());
    return 0;
}

var report = new Report(contenders.Select(c => c.Name).ToList());
// --only NAME[,NAME]: measure only these frameworks (the table keeps every column).
if (args.SkipWhile(arg => arg != "--only").Skip(1).FirstOrDefault() is { } only)
{
    contenders = contenders.Where(c => only.Split(',').Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
}

var wall = Stopwatch.StartNew();
report.Line($"# Mobility benchmarks ({(full ? "full" : "short")} run, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
report.Line("");
report.Line($"Machine: {Environment.ProcessorCount} logical cores, {Memory()} RAM, {RuntimeInformation.ProcessArchitecture}, {Cpu()}, " +
    $"{RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, {(IsRelease() ? "Release" : "Debug (numbers are not representative)")}, " +
    $"GC: workstation concurrent. Harness: custom Stopwatch loops (a warm-up round, then measured rounds).");
report.Line("");
report.Line("Mobility vs X: Mobility's factor over X, above 1 when Mobility is better (rate: Mobility ÷ X; latency: X ÷ Mobility).");

int Scale(int shortCount, int fullCount) => full ? fullCount : shortCount;
// --senders N: senders/callers of workloads 1–3 and 6 (default 4).
var Senders = args.SkipWhile(arg => arg != "--senders").Skip(1).FirstOrDefault() is { } n && int.TryParse(n, out var parsed) && parsed is > 0 and <= 64 ? parsed : 4;

if (workload is "all" or "local")
{
    await PairWorkloadAsync("1–2. Local (one node, one OS process)", c => c.LocalAsync()!,
        Scale(500_000, 2_500_000), Scale(50_000, 200_000), Scale(25_000, 100_000));
}

if (workload is "all" or "local" && !args.Contains("--no-bdn"))
{
    Dictionary<string, double?> mean = [], bytes = [];
    await Guard("all", "BenchmarkDotNet local request/reply", () =>
    {
        (mean, bytes) = BdnLocal.Measure(contenders.Select(c => c.Name));
        return Task.CompletedTask;
    });
    report.Heading("2b. Local request/reply, BenchmarkDotNet",
        "BenchmarkDotNet 0.15.8, in-process toolchain, short job (3 warm-up, 5 measured iterations, 1 launch), MemoryDiagnoser: " +
        "one sequential call per operation from outside the actor system.");
    report.Figure("mean µs per call", false, mean, "N2");
    report.Figure("bytes allocated per call", false, bytes);
}

if (workload is "all" or "remote")
{
    await PairWorkloadAsync(
        "3. Cross-node over loopback TCP (two nodes in two OS processes, 127.0.0.1; Orleans: two silos)",
        RemoteNode.OpenAsync, Scale(100_000, 500_000), Scale(10_000, 50_000), Scale(5_000, 25_000),
        "The receivers' node runs in a child OS process (this benchmark re-launched in a hidden serve mode), the senders' node " +
        "in this one, joined over each framework's own transport (Mobility: node a joins b and resolves a registered name; Akka.Remote: " +
        "ActorSelection; Proto.Remote: remote PIDs; Orleans: development clustering, the child runs the primary silo and hosts the grain, " +
        "this process a second silo calling through its IGrainFactory). The child reports its one-way count over its stdout, every ~1 ms and at the last message.");
}

if (workload is "all" or "spawn")
{
    const int count = 100_000;
    var rate = new Dictionary<string, double?>();
    var bytes = new Dictionary<string, double?>();
    foreach (var contender in contenders)
    {
        await Guard(contender.Name, "spawn", async () =>
        {
            var result = await contender.SpawnAsync(count);
            rate[contender.Name] = result.PerSecond;
            bytes[contender.Name] = result.BytesPerProcess;
        });
    }

    report.Heading($"4. Spawn {count:N0} idle processes",
        "Sequential spawns from outside the actor system, then one request to the last one; memory is the managed-heap delta " +
        "after full GCs, divided by the count (includes the handle the harness keeps per process). Orleans: a grain is virtual, " +
        "so spawn = first call (activation).");
    report.Figure("spawns/s", true, rate);
    report.Figure("bytes per idle process", false, bytes);
}

if (workload is "all" or "migration")
{
    report.Line("");
    report.Line("### 5. Migration of an idle process between two nodes over loopback TCP");
    report.Line("");
    report.Line("Caller's view of `SendMeAsync` (snapshot, offer, restore, directory switch, commit), alternating a → b → a. " +
        "Two Mobility nodes in one OS process over real 127.0.0.1 sockets. Orleans' `MigrateOnIdle` between two silos is the peer for 1 KiB.");
    report.Line("");
    report.Line("| framework | state | moves | p50 ms | p99 ms | mean ms | MB/s at p50 | Mobility vs this (p50) |");
    report.Line("|---|---|---:|---:|---:|---:|---:|---:|");
    double? mobilitySmall = null;
    // --sizes N[,N]: only these state sizes (bytes), e.g. to measure one of them again and again.
    var sizes = args.SkipWhile(arg => arg != "--sizes").Skip(1).FirstOrDefault()?.Split(',').Select(int.Parse).ToArray();
    foreach (var (bytes, moves) in new[] { (1024, Scale(1000, 5000)), (1024 * 1024, Scale(100, 500)), (64 * 1024 * 1024, Scale(10, 40)) })
    {
        if (sizes is not null && !sizes.Contains(bytes) || !contenders.Any(c => c.Name == "Mobility"))
        {
            continue;
        }

        await Guard("Mobility", $"migration {bytes}", async () =>
        {
            var r = await MigrationLatency.RunAsync(bytes, moves, warmup: Math.Min(moves / 5, 50) + 1);
            mobilitySmall ??= r.P50;
            report.Line(FormattableString.Invariant($"| Mobility | {Size(bytes)} | {r.Moves} | {r.P50:0.000} | {r.P99:0.000} | {r.Mean:0.000} | {r.MegabytesPerSecond:N0} | |"));
        });
    }

    await Guard("Orleans", "migration", async () =>
    {
        if (!contenders.Any(c => c.Name == "Orleans") || sizes is not null && !sizes.Contains(1024))
        {
            return;
        }

        var r = await OrleansMigration.RunAsync(1024, Scale(200, 1000), warmup: 10);
        report.Line(FormattableString.Invariant($"| Orleans (MigrateOnIdle) | {Size(1024)} | {r.Moves} | {r.P50:0.000} | {r.P99:0.000} | {r.Mean:0.000} | {r.MegabytesPerSecond:N0} | {(mobilitySmall is { } m ? $"×{r.P50 / m:0.00}" : "–")} |"));
        if (OrleansMigration.Unhonoured > 0)
        {
            report.Line("");
            report.Line($"(Orleans ignored {OrleansMigration.Unhonoured} MigrateOnIdle request(s) within 2 s; each was asked again and not sampled.)");
        }
    });
}

if (workload is "all" or "load")
{
    await Guard("Mobility", "load", async () =>
    {
        var r = await MigrationUnderLoad.RunAsync(Senders, Scale(100_000, 500_000));
        report.Line("");
        report.Line("### 6. Migration under load (Mobility only: no peer moves a live actor under load)");
        report.Line("");
        report.Line($"{Senders} senders on node a, each streaming {Scale(100_000, 500_000):N0} pipelined calls (32 in flight) with " +
            "its own sequence numbers, to one process on node b; first steady, then moved between nodes b and c every ~10 ms (three nodes in one OS process over 127.0.0.1). The process counts " +
            "out-of-order and duplicate arrivals; lost = sent − handled.");
        report.Line("");
        report.Line("| steady calls/s | moving calls/s | moving ÷ steady | moves | rolled back | lost | reordered | duplicates | failed calls |");
        report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        report.Line(FormattableString.Invariant($"| {r.Steady:N0} | {r.Moving:N0} | {r.Moving / r.Steady:P0} | {r.Moves} | {r.RolledBack} | {r.Lost} | {r.OutOfOrder} | {r.Duplicates} | {r.Failed} |"));
    });
}

if (workload is "all" or "alloc")
{
    await Guard("Mobility", "allocations", async () =>
    {
        var r = await Allocations.RunAsync();
        report.Line("");
        report.Line("### 7. Mobility's allocations per message");
        report.Line("");
        report.Line("Bytes allocated per message, both nodes together (two nodes in this OS process over 127.0.0.1), after a warm-up batch: " +
            "the process-wide allocation counter around 200,000 casts (at most 10,000 in flight) or 20,000 sequential calls of one `long`. " +
            "Unlike rates, these do not depend on how busy the machine is.");
        report.Line("");
        report.Line("| path | bytes per cast | bytes per call |");
        report.Line("|---|---:|---:|");
        report.Line(FormattableString.Invariant($"| same node | {r.LocalCast:N0} | {r.LocalCall:N0} |"));
        report.Line(FormattableString.Invariant($"| across nodes | {r.RemoteCast:N0} | {r.RemoteCall:N0} |"));
    });
}

report.Line("");
report.Line($"Total wall time: {wall.Elapsed.TotalMinutes:0.0} min.");
var text = report.Finish();
Console.WriteLine();
Console.Write(text);
await File.WriteAllTextAsync(output, text);
Console.WriteLine($"(written to {Path.GetFullPath(output)})");
return 0;

async Task PairWorkloadAsync(string title, Func<IContender, Task<Endpoints?>> open, int perSender, int pings, int perCaller, string? setup = null)
{
    var oneWay = new Dictionary<string, double?>();
    var p50 = new Dictionary<string, double?>();
    var p99 = new Dictionary<string, double?>();
    var calls = new Dictionary<string, double?>();
    foreach (var contender in contenders)
    {
        await Guard(contender.Name, title, async () =>
        {
            await using var endpoints = await open(contender);
            if (endpoints is null)
            {
                return;
            }

            // The warm-up round's rate caps the measured rounds at about 5 s each, so a slow framework does not eat the budget.
            var warm = await Harness.OneWayAsync(endpoints.Cast, Senders, perSender / 10, endpoints.Expect);
            var count = (int)Math.Clamp(warm * 5 / Senders, perSender / 10, perSender);
            Console.Error.WriteLine($"[{wall.Elapsed:mm\\:ss}]   measuring");
            oneWay[contender.Name] = await MedianAsync(() => Harness.OneWayAsync(endpoints.Cast, Senders, count, endpoints.Expect));
            await Harness.PingPongAsync(endpoints.Call, pings / 10);
            var latency = await Harness.PingPongAsync(endpoints.Call, pings);
            (p50[contender.Name], p99[contender.Name]) = (latency.P50, latency.P99);
            await Harness.CallThroughputAsync(endpoints.Call, Senders, perCaller / 10);
            calls[contender.Name] = await MedianAsync(() => Harness.CallThroughputAsync(endpoints.Call, Senders, perCaller));
        });
    }

    report.Heading(title, (setup is null ? "" : setup + " ") +
        $"One-way: {Senders} sender threads × {perSender:N0} casts of one `long` to one actor (fewer if a round would last over 5 s), until the last arrived (at most {Harness.OneWayWindow:N0} in flight). " +
        $"Request/reply: one caller, {pings:N0} sequential calls (latency); {Senders} concurrent callers × {perCaller:N0} sequential calls (throughput). " +
            "Rates: median of three rounds.");
    report.Figure("one-way msgs/s", true, oneWay);
    report.Figure("request/reply p50 µs", false, p50, "N1");
    report.Figure("request/reply p99 µs", false, p99, "N1");
    report.Figure($"request/reply calls/s ({Senders} callers)", true, calls);
}

// Rates are the median of three measured rounds (after one warm-up round of a tenth of the size).
static async Task<double> MedianAsync(Func<Task<double>> round)
{
    double[] rounds = [await round(), await round(), await round()];
    Array.Sort(rounds);
    return rounds[1];
}

async Task Guard(string who, string what, Func<Task> run)
{
    Console.Error.WriteLine($"[{wall.Elapsed:mm\\:ss}] {who}: {what}");
    try
    {
        await run();
    }
    catch (Exception failure)
    {
        report.Note($"{who}, {what}: not measured ({failure.GetType().Name}: {failure.Message.Split('\n')[0]})");
    }
}

static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";

static string Memory() => $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0} GiB";

static string Cpu()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
    }
    catch (IOException)
    {
        return "unknown CPU";
    }
}

static bool IsRelease() =>
    typeof(Report).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is not [DebuggableAttribute { IsJITOptimizerDisabled: true }];
