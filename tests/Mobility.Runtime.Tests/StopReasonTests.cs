using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

/// <summary>
/// A message that does not reach its process says why: the process stopped (its node said so), its node went down
/// while a call was pending (the call may have run), or no node is known to host it (a later message asks again).
/// </summary>
public sealed class StopReasonTests
{
    [Fact]
    public async Task A_process_that_stopped_is_reported_stopped_here_and_from_another_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("stopping");
        var fromB = (await cluster[1].Node.WhereIsAsync<Counter>("stopping"))!;
        await counter.StopAsync();

        var here = await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
        var there = await Assert.ThrowsAsync<ProcessStoppedException>(() => fromB.IncrementAsync(1).AsTask());

        Assert.Equal(ProcessStopReason.Stopped, here.Reason);
        Assert.Equal(ProcessStopReason.Stopped, there.Reason);
    }

    [Fact]
    public async Task A_process_no_node_is_known_to_host_is_reported_not_found_not_stopped()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var nowhere = ProcessId.New();

        var askedHere = await Assert.ThrowsAsync<ProcessStoppedException>(() => new ProcessRef<Counter>(nowhere, a.Name, a.Router).IncrementAsync(1).AsTask());
        var askedThere = await Assert.ThrowsAsync<ProcessStoppedException>(() => new ProcessRef<Counter>(nowhere, b.Name, a.Router).IncrementAsync(1).AsTask());

        Assert.Equal(ProcessStopReason.NotFound, askedHere.Reason);
        Assert.Equal(ProcessStopReason.NotFound, askedThere.Reason); // b's answer says so across the wire
        Assert.False(a.Context.Routes.Find(nowhere)?.Stopped ?? false); // and the route stays open: a later message asks again
    }
}
