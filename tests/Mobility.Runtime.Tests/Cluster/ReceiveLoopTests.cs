using System.Diagnostics;
using Mobility.Registry;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

/// <summary>
/// A connection's receive loop never waits for network I/O: a frame whose handling needs an answer from the very
/// peer that sent it must not hold back the peer's later frames (its answer, its heartbeats, its other messages).
/// </summary>
public sealed class ReceiveLoopTests
{
    [Fact]
    public async Task A_message_that_needs_a_lookup_at_its_own_sender_stalls_no_connection()
    {
        // Long migration (lookup) timeout: a receive loop blocked on the lookup would hold b's frames for 30 s. Short
        // failure detection: b's heartbeats held that long would make a declare b dead.
        await using var cluster = await TestCluster.StartAsync(2, options =>
        {
            options.MigrationTimeout = TimeSpan.FromSeconds(30);
            options.CallTimeout = TimeSpan.FromSeconds(30);
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            options.FailureDetectionTimeout = TimeSpan.FromSeconds(2);
        });
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.NodeDown += (_, _) => down.TrySetResult();
        var living = await a.SpawnAsync<Counter>();
        await living.RegisterAsync("living");
        var livingFromB = (await b.WhereIsAsync<Counter>("living"))!;

        // A process a has never heard of, whose directory entry b owns, addressed from b with a hint that says "a":
        // a must ask b where it lives, over the connection the message came on.
        var ghost = ProcessIdOwnedBy(b.Name, [a.Name, b.Name]);
        var ghostFromB = new ProcessRef<Counter>(ghost, a.Name, b.Router);

        var clock = Stopwatch.StartNew();
        var lost = ghostFromB.IncrementAsync(1).AsTask();
        var next = livingFromB.IncrementAsync(1).AsTask(); // the next frame on the same connection

        Assert.Equal(1, await next.WaitAsync(TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<ProcessStoppedException>(() => lost.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the calls took {clock.Elapsed}");

        // Heartbeats kept flowing meanwhile and afterwards: a never took b for dead within longer than its detector's time.
        Assert.True(await down.Task.StaysPendingAsync(TimeSpan.FromSeconds(2.5)), "a declared b down");
        Assert.Contains(b.Name, a.Nodes);
    }

    [Fact]
    public async Task A_cast_that_cannot_reach_its_process_leaves_a_log_line()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var ghost = new ProcessRef<Counter>(ProcessId.New(), "nowhere", cluster[0].Node.Router);

        ghost.Reset(); // a cast: nobody waits for it, so only the log can tell it went nowhere

        await Wait.UntilAsync(
            () => cluster[0].Logs.Entries.Any(entry => entry.Message.Contains($"A cast to {ghost.TypeId}#{ghost.Id} was dropped", StringComparison.Ordinal)),
            "a logs the dropped cast");
    }

    /// <summary>A fresh process id whose directory entry <paramref name="owner"/> owns among <paramref name="members"/>.</summary>
    private static ProcessId ProcessIdOwnedBy(string owner, string[] members)
    {
        while (true)
        {
            var id = ProcessId.New();
            if (RendezvousHash.OwnerOf(ClusterDirectory.LocationKey(id), members) == owner)
            {
                return id;
            }
        }
    }
}
