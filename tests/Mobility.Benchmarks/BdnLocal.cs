using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mobility.Benchmarks.Contenders;

namespace Mobility.Benchmarks;

/// <summary>
/// BenchmarkDotNet's view of local request/reply (one sequential call per operation, mean latency and allocations).
/// Runs in-process with a short job, so no per-benchmark build: <c>-- bdn</c> (BenchmarkDotNet's own arguments follow).
/// </summary>
[MemoryDiagnoser]
public class LocalRequestReply
{
    private Endpoints _endpoints = null!;

    [Params("Mobility", "Akka.NET", "Proto.Actor", "Orleans")]
    public string Framework { get; set; } = "Mobility";

    [GlobalSetup]
    public void Setup()
    {
        IContender contender = Framework switch
        {
            "Akka.NET" => new AkkaContender(),
            "Proto.Actor" => new ProtoContender(),
            "Orleans" => new OrleansContender(),
            _ => new MobilityContender(),
        };
        _endpoints = contender.LocalAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _endpoints.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Task Call() => _endpoints.Call(1);
}

internal static class BdnLocal
{
    private static ManualConfig Config() =>
        ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(5).WithLaunchCount(1))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);

    /// <summary><c>-- bdn [BenchmarkDotNet arguments]</c>: BenchmarkDotNet's own console report.</summary>
    public static void Run(string[] args) =>
        BenchmarkSwitcher.FromTypes([typeof(LocalRequestReply)]).Run(args.Length == 0 ? ["--filter", "*"] : args, Config());

    /// <summary>For the combined report: mean µs per call and bytes allocated per call, by framework.</summary>
    public static (Dictionary<string, double?> MeanMicroseconds, Dictionary<string, double?> BytesPerCall) Measure(IEnumerable<string> frameworks)
    {
        var summary = BenchmarkRunner.Run<LocalRequestReply>(Config());
        var mean = new Dictionary<string, double?>();
        var bytes = new Dictionary<string, double?>();
        foreach (var report in summary.Reports)
        {
            var framework = (string)report.BenchmarkCase.Parameters["Framework"];
            if (!frameworks.Contains(framework) || report.ResultStatistics is null)
            {
                continue;
            }

            mean[framework] = report.ResultStatistics.Mean / 1000;
            bytes[framework] = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
        }

        return (mean, bytes);
    }
}
