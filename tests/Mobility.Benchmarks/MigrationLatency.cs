using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Mobility.Benchmarks;

/// <summary>
/// Moves one idle process back and forth between two nodes over loopback TCP and reports how long each
/// <c>SendMeAsync</c> takes, from the caller's side (snapshot, offer, restore, directory switch, commit).
/// </summary>
internal static class MigrationLatency
{
    public static async Task<IReadOnlyList<string>> RunAsync(int stateBytes, int moves, int warmup)
    {
        await using var a = Build("a");
        await using var b = Build("b");
        var nodeA = a.GetRequiredService<MobilityNode>();
        var nodeB = b.GetRequiredService<MobilityNode>();
        await nodeA.StartAsync();
        await nodeB.StartAsync();
        await nodeB.ConnectAsync(nodeA.LocalEndPoint!);

        var payload = await nodeA.SpawnAsync<Payload>();
        await payload.FillAsync(stateBytes);
        string[] destinations = ["b", "a"];
        for (var i = 0; i < warmup; i++)
        {
            await payload.SendMeAsync(Destination.Node(destinations[i % 2]));
        }

        var samples = new double[moves];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < moves; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await payload.SendMeAsync(Destination.Node(destinations[(warmup + i) % 2]));
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        var arrivals = await payload.ArrivalsAsync();
        if (arrivals != warmup + moves)
        {
            throw new InvalidOperationException($"Expected {warmup + moves} arrivals, counted {arrivals}.");
        }

        Array.Sort(samples);
        return
        [
            $"{Size(stateBytes)}",
            $"{moves}",
            $"{Percentile(samples, 0.50):0.000}",
            $"{Percentile(samples, 0.90):0.000}",
            $"{Percentile(samples, 0.99):0.000}",
            $"{samples.Average():0.000}",
            $"{moves / total.Elapsed.TotalSeconds:0}",
            $"{stateBytes / 1024.0 / 1024.0 / (Percentile(samples, 0.50) / 1000):0.0}",
        ];
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";

    private static ServiceProvider Build(string name) =>
        new ServiceCollection()
            .AddMobility(options =>
            {
                options.NodeName = name;
                options.Cookie = "benchmark";
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
            })
            .AddMobileProcess<Payload>()
            .BuildServiceProvider();
}
