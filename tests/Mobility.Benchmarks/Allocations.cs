namespace Mobility.Benchmarks;

/// <summary>Bytes allocated per message by both nodes, in steady state.</summary>
/// <param name="LocalCast">Per cast to a process on the same node.</param>
/// <param name="LocalCall">Per sequential call to a process on the same node.</param>
/// <param name="RemoteCast">Per cast to a process on the other node (sender and receiver together).</param>
/// <param name="RemoteCall">Per sequential call to a process on the other node (both nodes, request and reply).</param>
internal sealed record AllocationResult(double LocalCast, double LocalCall, double RemoteCast, double RemoteCall);

/// <summary>
/// Mobility's allocations per message: the process-wide allocated-bytes counter around a measured batch, after a warm-up
/// batch. Deterministic where rates are noisy, so a change to the message path can be judged on a busy machine too.
/// Both nodes live in this OS process, so a cross-node figure counts the sender's and the receiver's allocations.
/// </summary>
internal static class Allocations
{
    private const int Casts = 200_000;
    private const int Calls = 20_000;
    private const int Window = 10_000; // casts in flight at most: backpressure would add its own allocations

    public static async Task<AllocationResult> RunAsync()
    {
        var (a, b, nodeA, nodeB) = await Contenders.MobilityContender.PairAsync();
        try
        {
            var local = await nodeA.SpawnAsync<Echo>();
            var onB = await nodeB.SpawnAsync<Echo>();
            await onB.RegisterAsync("echo-alloc");
            var remote = await ResolveAsync(nodeA);
            return new AllocationResult(
                await PerCastAsync(local),
                await PerCallAsync(local),
                await PerCastAsync(remote),
                await PerCallAsync(remote));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static async Task<ProcessRef<Echo>> ResolveAsync(MobilityNode node)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await node.WhereIsAsync<Echo>("echo-alloc", deadline.Token) is { } found)
            {
                return found;
            }

            await Task.Yield(); // the name is claimed on the other node; the directory may lag a moment
        }
    }

    private static async Task<double> PerCastAsync(ProcessRef<Echo> echo)
    {
        await CastBatchAsync(echo); // warm-up: JIT, pools, buffers
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await CastBatchAsync(echo);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Casts;
    }

    private static async Task CastBatchAsync(ProcessRef<Echo> echo)
    {
        var done = Probe.Expect(Casts);
        for (var i = 0; i < Casts; i++)
        {
            echo.Tell(i);
            while (i - Probe.Count > Window)
            {
                await Task.Yield();
            }
        }

        await done.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<double> PerCallAsync(ProcessRef<Echo> echo)
    {
        for (var i = 0; i < Calls; i++)
        {
            await echo.PingAsync(i);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            await echo.PingAsync(i);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Calls;
    }
}
