using System.Diagnostics;
using Mobility.Benchmarks.Contenders;

namespace Mobility.Benchmarks;

/// <summary>Migration latency of one state size: milliseconds and effective MB/s at the median.</summary>
internal sealed record MigrationResult(int StateBytes, int Moves, double P50, double P99, double Mean)
{
    public double MegabytesPerSecond => StateBytes / 1_000_000.0 / (P50 / 1000);
}

/// <summary>
/// Moves one idle process back and forth between two nodes over loopback TCP and reports how long each
/// <c>SendMeAsync</c> takes, from the caller's side (snapshot, offer, restore, directory switch, commit).
/// </summary>
internal static class MigrationLatency
{
    public static async Task<MigrationResult> RunAsync(int stateBytes, int moves, int warmup)
    {
        // A migrating state must fit in one frame: leave room above the largest state for the envelope.
        var (a, b, nodeA, _) = await MobilityContender.PairAsync(maxFrameSize: Math.Max(64 * 1024 * 1024, stateBytes * 2));
        try
        {
            var payload = await nodeA.SpawnAsync<Payload>();
            await payload.FillAsync(stateBytes);
            string[] destinations = ["b", "a"];
            for (var i = 0; i < warmup; i++)
            {
                await payload.SendMeAsync(Destination.Node(destinations[i % 2]));
            }

            var samples = new double[moves];
            for (var i = 0; i < moves; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await payload.SendMeAsync(Destination.Node(destinations[(warmup + i) % 2]));
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            var arrivals = await payload.ArrivalsAsync();
            if (arrivals != warmup + moves)
            {
                throw new InvalidOperationException($"Expected {warmup + moves} arrivals, counted {arrivals}.");
            }

            Array.Sort(samples);
            return new MigrationResult(stateBytes, moves, Harness.Percentile(samples, 0.50), Harness.Percentile(samples, 0.99), samples.Average());
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }
}
