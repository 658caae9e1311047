using System.Runtime.InteropServices;
using System.Text;
using Mobility.Benchmarks;

// Mobility's measurement harness. Prints a markdown table (and writes it to a file) with machine details.
//   dotnet run -c Release --project tests/Mobility.Benchmarks -- migration [--moves N] [--out FILE]
var moves = ArgumentOr(args, "--moves", 2000);
var output = args.SkipWhile(arg => arg != "--out").Skip(1).FirstOrDefault() ?? "benchmark-results.md";
if (args.FirstOrDefault() is not "migration")
{
    Console.Error.WriteLine("usage: Mobility.Benchmarks migration [--moves N] [--out FILE]");
    return 2;
}

var report = new StringBuilder()
    .AppendLine($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(IsRelease() ? "Release" : "Debug (numbers are not representative)")}")
    .AppendLine()
    .AppendLine("Migration of an idle process between two nodes over loopback TCP (caller's view of SendMeAsync):")
    .AppendLine()
    .AppendLine("| state | moves | p50 ms | p90 ms | p99 ms | mean ms | moves/s | MiB/s at p50 |")
    .AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var (bytes, count) in new[] { (1024, moves), (1024 * 1024, Math.Max(20, moves / 20)), (16 * 1024 * 1024, Math.Max(10, moves / 100)) })
{
    var row = await MigrationLatency.RunAsync(bytes, count, warmup: Math.Min(100, count));
    report.AppendLine($"| {string.Join(" | ", row)} |");
}

Console.Write(report);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine($"(written to {Path.GetFullPath(output)})");
return 0;

static int ArgumentOr(string[] args, string name, int fallback) =>
    args.SkipWhile(arg => arg != name).Skip(1).FirstOrDefault() is { } value && int.TryParse(value, out var parsed) ? parsed : fallback;

static bool IsRelease() =>
    typeof(MigrationLatency).Assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false) is not [System.Diagnostics.DebuggableAttribute { IsJITOptimizerDisabled: true }];
