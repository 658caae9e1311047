using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class StopTests
{
    [Fact]
    public async Task Stopping_runs_OnStopping_and_later_calls_throw_ProcessStoppedException()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(3);

        await counter.StopAsync();

        Assert.Equal(["started", "stopping at 3"], test.Get<Journal>().Entries);
        var exception = await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
        Assert.Equal(counter.Id, exception.ProcessId);
        Assert.Throws<ProcessStoppedException>(() => counter.Reset());
        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.StopAsync());
    }

    [Fact]
    public async Task Calls_queued_behind_the_stop_fail_with_ProcessStoppedException()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var gate = test.Get<Gate>();
        var blocker = recorder.WaitAtGateAsync("blocker").AsTask();
        await gate.Reached.WithDeadline();

        var stopping = recorder.StopAsync();
        var queued = recorder.SeenAsync().AsTask();
        gate.Open();

        Assert.Equal("blocker", await blocker.WithDeadline());
        await stopping.WithDeadline();
        await Assert.ThrowsAsync<ProcessStoppedException>(() => queued.WithDeadline());
    }

    [Fact]
    public async Task A_process_stops_itself_after_the_handler_that_asked_returns()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        await counter.QuitAsync();

        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
        Assert.Contains("stopping at 0", test.Get<Journal>().Entries);
    }

    [Fact]
    public async Task Stopping_the_node_stops_every_process()
    {
        var test = await TestNode.StartAsync();
        var first = await test.Node.SpawnAsync<Counter>();
        var second = await test.Node.SpawnAsync<Counter>();

        await test.Node.StopAsync();

        Assert.Equal(2, test.Get<Journal>().Entries.Count(entry => entry.StartsWith("stopping", StringComparison.Ordinal)));
        await Assert.ThrowsAsync<ProcessStoppedException>(() => first.IncrementAsync(1).AsTask());
        await Assert.ThrowsAsync<ProcessStoppedException>(() => second.IncrementAsync(1).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => test.Node.SpawnAsync<Counter>());
        await test.DisposeAsync();
    }
}
