using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

public sealed class MonitorTests
{
    [Fact]
    public async Task A_node_side_monitor_gets_Down_Normal_when_the_process_stops()
    {
        await using var test = await TestNode.StartAsync();
        var target = await test.Node.SpawnAsync<Sentinel>();
        await using var monitor = await test.Node.MonitorAsync(target);

        await target.StopAsync();

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Normal, down.Reason);
        Assert.Equal(target, down.Process);
        Assert.Equal(monitor.Monitor, down.Monitor);
    }

    [Fact]
    public async Task Stop_with_an_exception_gives_Down_Exception_with_its_type_and_message()
    {
        await using var test = await TestNode.StartAsync();
        var target = await test.Node.SpawnAsync<Sentinel>();
        await using var monitor = await target.MonitorAsync();

        await target.FailAsync("out of cheese");

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("System.InvalidOperationException", down.ErrorType);
        Assert.Equal("out of cheese", down.ErrorMessage);
    }

    [Fact]
    public async Task Monitoring_a_process_that_already_stopped_gives_Down_NoProcess_at_once()
    {
        await using var test = await TestNode.StartAsync();
        var target = await test.Node.SpawnAsync<Sentinel>();
        await target.StopAsync();

        await using var monitor = await test.Node.MonitorAsync(target);

        Assert.True(monitor.Down.IsCompleted);
        Assert.Equal(ExitReason.NoProcess, (await monitor.Down).Reason);
    }

    [Fact]
    public async Task A_process_watcher_gets_OnDown_in_its_own_loop()
    {
        await using var test = await TestNode.StartAsync();
        var watcher = await test.Node.SpawnAsync<Sentinel>();
        var target = await test.Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(target);

        await target.FailAsync("boom");

        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the watcher got its Down");
        Assert.Equal([$"{target.Id}:Exception:boom"], await watcher.DownsAsync());
    }

    [Fact]
    public async Task A_process_watching_a_stopped_process_gets_Down_NoProcess()
    {
        await using var test = await TestNode.StartAsync();
        var watcher = await test.Node.SpawnAsync<Sentinel>();
        var target = await test.Node.SpawnAsync<Sentinel>();
        await target.StopAsync();

        await watcher.WatchAsync(target);

        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the watcher got its Down");
        Assert.Equal([$"{target.Id}:NoProcess:"], await watcher.DownsAsync());
    }

    [Fact]
    public async Task After_Demonitor_no_Down_is_handled()
    {
        await using var test = await TestNode.StartAsync();
        var watcher = await test.Node.SpawnAsync<Sentinel>();
        var forgotten = await test.Node.SpawnAsync<Sentinel>();
        var barrier = await test.Node.SpawnAsync<Sentinel>();
        var monitor = await watcher.WatchAsync(forgotten);
        Assert.True(await watcher.UnwatchAsync(monitor));
        Assert.False(await watcher.UnwatchAsync(monitor));
        await watcher.WatchAsync(barrier);

        await forgotten.StopAsync();
        await barrier.StopAsync(); // its Down comes after any Down of the forgotten one would have

        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count >= 1, "the barrier's Down arrived");
        Assert.Equal([$"{barrier.Id}:Normal:"], await watcher.DownsAsync());
    }

    [Fact]
    public async Task A_disposed_node_side_monitor_is_cancelled_and_never_completes_with_a_Down()
    {
        await using var test = await TestNode.StartAsync();
        var target = await test.Node.SpawnAsync<Sentinel>();
        var monitor = await test.Node.MonitorAsync(target);

        await monitor.DisposeAsync();
        await target.StopAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => monitor.Down);
    }

    [Fact]
    public async Task A_process_whose_arrival_hook_fails_gives_Down_Exception()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var target = await cluster[0].Node.SpawnAsync<Sentinel>();
        await using var monitor = await cluster[0].Node.MonitorAsync(target);
        await target.FailOnNextArrivalAsync();

        await target.SendMeAsync(Destination.Node("b"));

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("cannot live here", down.ErrorMessage);
    }

    [Fact]
    public async Task A_process_watcher_on_another_node_gets_its_Down()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var watcher = await cluster[0].Node.SpawnAsync<Sentinel>();
        var target = await cluster[1].Node.SpawnAsync<Sentinel>();
        await using var monitor = await cluster[0].Node.MonitorAsync(target);
        await watcher.WatchAsync(target);

        // Sent from a, like the watcher's monitor request: it reaches the target after that request (per-sender order).
        await (await Seen.From(cluster[0], target)).FailAsync("remote boom");

        Assert.Equal("remote boom", (await monitor.Down.WithDeadline()).ErrorMessage);
        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the watcher got its Down");
        Assert.Equal([$"{target.Id}:Exception:remote boom"], await watcher.DownsAsync());
    }

    [Fact]
    public async Task A_node_going_down_gives_Down_NoConnection_for_its_processes()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var watcher = await cluster[0].Node.SpawnAsync<Sentinel>();
        var target = await cluster[2].Node.SpawnAsync<Recorder>();
        await using var monitor = await cluster[1].Node.MonitorAsync(target);
        await watcher.WatchRecorderAsync(target);
        _ = target.WaitAtGateAsync("never opened"); // keeps it busy: c's impatient stop abandons it instead of stopping it
        await cluster[2].Get<Gate>().Reached.WithDeadline();

        using var impatient = new CancellationTokenSource();
        await impatient.CancelAsync();
        await cluster[2].Node.StopAsync(impatient.Token);

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.NoConnection, down.Reason);
        Assert.Equal("node 'c' went down", down.ErrorMessage);
        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the process watcher got its Down");
        Assert.Equal([$"{target.Id}:NoConnection:node 'c' went down"], await watcher.DownsAsync());
    }
}
