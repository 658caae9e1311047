using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using Mobility.Benchmarks.Contenders;

namespace Mobility.Benchmarks;

/// <summary>Result of one migration-under-load run.</summary>
internal sealed record LoadResult(double Steady, double Moving, int Moves, int RolledBack, long Lost, long OutOfOrder, long Duplicates, long Failed);

/// <summary>
/// Several senders on node a stream pipelined calls carrying per-sender sequence numbers to one <see cref="Sequencer"/>
/// that lives on node b, first while it stays put, then while a mover sends it between b and c every ~10 ms (so every
/// call crosses the network in both runs and only the moving differs).
/// The process itself counts out-of-order and duplicate arrivals; lost = sent − handled.
/// </summary>
internal static class MigrationUnderLoad
{
    private const int Window = 32;

    public static async Task<LoadResult> RunAsync(int senders, int callsPerSender)
    {
        var (a, b, nodeA, nodeB) = await MobilityContender.PairAsync();
        var c = MobilityContender.Build("c");
        try
        {
            var nodeC = c.GetRequiredService<MobilityNode>();
            await nodeC.StartAsync();
            await nodeC.ConnectAsync(nodeA.LocalEndPoint!);
            await nodeC.ConnectAsync(nodeB.LocalEndPoint!);
            await OneRunAsync(nodeA, nodeB, senders, callsPerSender / 10, move: true); // warm-up: JIT, connections, pools
            var steady = await OneRunAsync(nodeA, nodeB, senders, callsPerSender, move: false);
            var moving = await OneRunAsync(nodeA, nodeB, senders, callsPerSender, move: true);
            return new LoadResult(steady.Rate, moving.Rate, moving.Moves, moving.RolledBack,
                steady.Lost + moving.Lost, steady.OutOfOrder + moving.OutOfOrder, steady.Duplicates + moving.Duplicates, steady.Failed + moving.Failed);
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            await c.DisposeAsync();
        }
    }

    private sealed record Run(double Rate, int Moves, int RolledBack, long Lost, long OutOfOrder, long Duplicates, long Failed);

    private static async Task<Run> OneRunAsync(MobilityNode nodeA, MobilityNode nodeB, int senders, int callsPerSender, bool move)
    {
        var spawned = await nodeB.SpawnAsync<Sequencer>();
        var name = $"sequencer-{Guid.NewGuid():N}";
        await spawned.RegisterAsync(name);
        var process = (await nodeA.WhereIsAsync<Sequencer>(name))!;
        var failures = new long[senders];
        var stop = new CancellationTokenSource();
        var moves = 0;
        var rolledBack = 0;
        var clock = Stopwatch.StartNew();
        var mover = move
            ? Task.Run(async () =>
            {
                string[] destinations = ["c", "b"];
                for (var i = 0; i < 100_000 && !stop.IsCancellationRequested && clock.Elapsed < Harness.Bound; i++)
                {
                    try
                    {
                        await process.SendMeAsync(Destination.Node(destinations[i % 2]));
                        moves++;
                    }
                    catch (MigrationFailedException)
                    {
                        rolledBack++;
                    }

                    await Task.Delay(10);
                }
            })
            : Task.CompletedTask;
        var streams = Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
                        var inFlight = new Queue<Task<long>>(Window);
            for (long seq = 1; seq <= callsPerSender; seq++)
            {
                if (inFlight.Count == Window)
                {
                    failures[sender] += await Settle(inFlight.Dequeue());
                }

                inFlight.Enqueue(process.HitAsync(sender, seq).AsTask());
            }

            while (inFlight.Count > 0)
            {
                failures[sender] += await Settle(inFlight.Dequeue());
            }
        })).ToArray();
        await Task.WhenAll(streams).WaitAsync(Harness.Bound);
        clock.Stop();
        stop.Cancel();
        await mover.WaitAsync(Harness.Bound);
        var report = await process.ReportAsync();
        await process.StopAsync();
        var sent = (long)senders * callsPerSender;
        var lost = sent - (report[0] - report[2]);
        for (var s = 0; s < senders; s++)
        {
            if (report[3 + s] != callsPerSender)
            {
                lost = Math.Max(lost, 1);
            }
        }

        return new Run(sent / clock.Elapsed.TotalSeconds, moves, rolledBack, lost, report[1], report[2], failures.Sum());
    }

    private static async Task<long> Settle(Task<long> call)
    {
        try
        {
            await call;
            return 0;
        }
        catch (Exception)
        {
            return 1;
        }
    }
}
