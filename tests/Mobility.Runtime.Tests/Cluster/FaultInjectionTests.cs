using System.Diagnostics;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;
using Mobility.Transport;
using Mobility.Transport.Faults;

namespace Mobility.Tests.Cluster;

/// <summary>
/// The fault seam between two real nodes over loopback: partitions (both ways, one way) that heal, aborted and cut
/// connections, slow and narrow links. What the cluster makes of them is the next specifications' business; these
/// show that each fault does to the nodes what the same fault of a real network would.
/// </summary>
public sealed class FaultInjectionTests
{
    /// <summary>Long enough that a partition of a few hundred milliseconds is not a failure.</summary>
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan NotYet = TimeSpan.FromMilliseconds(300);

    private readonly FaultInjector _faults = new();

    [Fact]
    public async Task A_call_across_a_partition_completes_once_it_heals_and_no_node_is_declared_down()
    {
        await using var cluster = await StartAsync(failureDetection: Patient);
        var (downAtA, downAtB) = (new DownLog(cluster[0]), new DownLog(cluster[1]));
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "on-b");
        _faults.Partition("a", "b");

        var call = onB.IncrementAsync(2).AsTask();

        Assert.True(await call.StaysPendingAsync(NotYet), "a call completed across a partition");
        _faults.Heal("a", "b");
        Assert.Equal(3, await call.WithDeadline());
        Assert.True(_faults.Counters.FramesHeld > 0);
        Assert.Empty(downAtA.Downs);
        Assert.Empty(downAtB.Downs);
    }

    [Fact]
    public async Task A_partition_longer_than_failure_detection_downs_both_nodes_and_after_the_heal_they_reconnect()
    {
        await using var cluster = await StartAsync(failureDetection: TimeSpan.FromMilliseconds(400));
        var (downAtA, downAtB) = (new DownLog(cluster[0]), new DownLog(cluster[1]));
        _faults.Partition("a", "b");

        Assert.Contains("sent nothing", await downAtA.WaitForAsync("b"));
        await downAtB.WaitForAsync("a");
        await Assert.ThrowsAsync<PeerUnreachableException>(() => cluster[1].Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));
        _faults.Heal("a", "b");

        Assert.Equal("a", await cluster[1].Node.ConnectAsync(cluster[0].Node.LocalEndPoint!).WithDeadline());
        await cluster.WaitForFullMeshAsync();
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "after-the-heal");
        Assert.Equal(3, await onB.IncrementAsync(2));
    }

    [Fact]
    public async Task A_one_way_partition_stops_only_the_frames_of_its_direction()
    {
        await using var cluster = await StartAsync(failureDetection: Patient);
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "on-b");
        var onA = await RemoteCounterAsync(cluster, at: 0, from: 1, "on-a");
        var onALocally = (await cluster[0].Node.WhereIsAsync<Counter>("on-a"))!;
        _faults.Link("a", "b").Blackhole();

        var call = onB.IncrementAsync(2).AsTask();
        onA.Reset(); // a cast from b: its direction is open

        await Wait.UntilAsync(async () => (await onALocally.DescribeAsync()).Contains("reset"), "b's cast is handled on a");
        Assert.True(await call.StaysPendingAsync(NotYet), "a call from a reached b through a blackhole");
        _faults.Link("a", "b").Heal();
        Assert.Equal(3, await call.WithDeadline());
    }

    [Fact]
    public async Task Aborting_the_connection_downs_both_nodes_and_they_can_reconnect_at_once()
    {
        await using var cluster = await StartAsync(failureDetection: Patient);
        var (downAtA, downAtB) = (new DownLog(cluster[0]), new DownLog(cluster[1]));

        Assert.Equal(2, _faults.Abort("a", "b"));

        Assert.Contains("fault injection aborted", await downAtB.WaitForAsync("a"));
        await downAtA.WaitForAsync("b"); // closed by the fault, or by b closing first: either way, down
        await cluster[1].Node.ConnectAsync(cluster[0].Node.LocalEndPoint!).WithDeadline();
        await cluster.WaitForFullMeshAsync();
    }

    [Fact]
    public async Task A_link_cut_after_some_bytes_lets_them_through_then_downs_both_nodes()
    {
        await using var cluster = await StartAsync(failureDetection: Patient);
        var (downAtA, downAtB) = (new DownLog(cluster[0]), new DownLog(cluster[1]));
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "on-b");
        _faults.Link("a", "b").DropAfter(4096);

        Assert.Equal(3, await onB.IncrementAsync(2)); // a few dozen bytes: within the budget
        var tooLarge = onB.RenameAsync(new string('x', 10_000)).AsTask();

        Assert.Contains("fault injection cut the connection", await downAtB.WaitForAsync("a"));
        await downAtA.WaitForAsync("b");
        await Assert.ThrowsAnyAsync<MobilityException>(() => tooLarge.WithDeadline());
        Assert.Equal(1, _faults.Counters.ConnectionsCut);
    }

    [Fact]
    public async Task A_delayed_link_slows_a_call_by_its_latency_each_way()
    {
        var latency = TimeSpan.FromMilliseconds(150);
        await using var cluster = await StartAsync(failureDetection: Patient);
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "on-b");
        _faults.Link("a", "b").Delay(latency);
        _faults.Link("b", "a").Delay(latency);
        var clock = Stopwatch.StartNew();

        Assert.Equal(3, await onB.IncrementAsync(2));

        // Lower bound only (timers may round a millisecond down); how much slower a busy machine is does not matter.
        Assert.True(clock.Elapsed >= 2 * latency * 0.95, $"the call took {clock.Elapsed.TotalMilliseconds} ms over a {latency.TotalMilliseconds} ms link");
        Assert.True(_faults.Counters.FramesDelayed >= 2);
    }

    [Fact]
    public async Task A_throttled_link_slows_a_call_by_the_time_its_bytes_take()
    {
        const int BytesPerSecond = 40_000;
        const int Characters = 20_000; // at least one byte each on the wire
        await using var cluster = await StartAsync(failureDetection: Patient);
        var onB = await RemoteCounterAsync(cluster, at: 1, from: 0, "on-b");
        _faults.Link("a", "b").Throttle(BytesPerSecond);
        var clock = Stopwatch.StartNew();

        await onB.RenameAsync(new string('x', Characters));

        var least = TimeSpan.FromSeconds((double)Characters / BytesPerSecond);
        Assert.True(clock.Elapsed >= least * 0.95, $"{Characters} characters through {BytesPerSecond} B/s took {clock.Elapsed.TotalMilliseconds} ms");
        Assert.StartsWith(new string('x', Characters), await onB.DescribeAsync());
    }

    private Task<TestCluster> StartAsync(TimeSpan failureDetection) =>
        TestCluster.StartAsync(2, options =>
        {
            options.Faults = _faults;
            options.HeartbeatInterval = failureDetection / 8;
            options.FailureDetectionTimeout = failureDetection;
        });

    /// <summary>A counter spawned on node <paramref name="at"/>, found by name from node <paramref name="from"/>, called once.</summary>
    private static async Task<ProcessRef<Counter>> RemoteCounterAsync(TestCluster cluster, int at, int from, string name)
    {
        var counter = await cluster[at].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync(name);
        var found = (await cluster[from].Node.WhereIsAsync<Counter>(name))!;
        Assert.Equal(1, await found.IncrementAsync(1));
        return found;
    }
}
