using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

public sealed class MonitoringMigrationTests
{
    [Fact]
    public async Task A_monitored_process_moved_twice_then_stopped_gives_exactly_one_Down()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var watcher = await cluster[0].Node.SpawnAsync<Sentinel>();
        var target = await cluster[0].Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(target);
        await using var nodeMonitor = await cluster[0].Node.MonitorAsync(target);

        await target.SendMeAsync(Destination.Node("b"));
        await target.SendMeAsync(Destination.Node("c"));
        Assert.False(nodeMonitor.Down.IsCompleted);
        await target.QuitAsync();

        // A process watched later, on the node the target stopped on: its Down follows the target's from there.
        var barrier = await cluster[2].Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(barrier);
        await (await Seen.From(cluster[0], barrier)).QuitAsync(); // after the watcher's monitor request (per-sender order)
        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Any(down => down.StartsWith(barrier.Id.ToString(), StringComparison.Ordinal)), "the barrier's Down arrived");

        Assert.Equal([$"{target.Id}:Normal:", $"{barrier.Id}:Normal:"], await watcher.DownsAsync());
        Assert.Equal(ExitReason.Normal, (await nodeMonitor.Down.WithDeadline()).Reason);
        Assert.Single(cluster.Nodes.SelectMany(node => node.Get<Journal>().Entries), entry => entry.StartsWith($"down {target.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_watcher_moved_before_its_target_stops_still_gets_its_Down()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var watcher = await cluster[0].Node.SpawnAsync<Sentinel>();
        var target = await cluster[1].Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(target);

        var targetFromA = await Seen.From(cluster[0], target); // sent after the watcher's monitor request (per-sender order)
        await watcher.SendMeAsync(Destination.Node("c"));
        await watcher.SendMeAsync(Destination.Node("b"));
        await targetFromA.FailAsync("after the moves");

        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the moved watcher got its Down");
        Assert.Equal([$"{target.Id}:Exception:after the moves"], await watcher.DownsAsync());
        Assert.Contains($"down {target.Id}:Exception:after the moves", cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task Moving_is_not_exiting_a_trapping_process_gets_no_exit_signal_when_either_side_moves()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var trapper = await cluster[0].Node.SpawnAsync<Trapper>();
        var linked = await cluster[0].Node.SpawnAsync<Sentinel>();
        await trapper.LinkToAsync(linked);

        await linked.SendMeAsync(Destination.Node("b"));
        await trapper.SendMeAsync(Destination.Node("c"));
        await linked.SendMeAsync(Destination.Node("a"));
        Assert.Empty(await trapper.ExitsAsync());
        await linked.QuitAsync();

        // A process linked later, on the node the linked one stopped on: its exit signal follows that one's from there.
        var barrier = await cluster[0].Node.SpawnAsync<Sentinel>();
        await trapper.LinkToAsync(barrier);
        await (await Seen.From(cluster[2], barrier)).QuitAsync(); // from the trapper's node: after its link request
        await Wait.UntilAsync(async () => (await trapper.ExitsAsync()).Any(exit => exit.StartsWith(barrier.Id.ToString(), StringComparison.Ordinal)), "the barrier's exit signal arrived");

        Assert.Equal([$"{linked.Id}:Normal:", $"{barrier.Id}:Normal:"], await trapper.ExitsAsync());
    }

    [Fact]
    public async Task Linked_processes_each_moved_then_one_fails_and_the_other_stops()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var failing = await cluster[0].Node.SpawnAsync<Sentinel>();
        var partner = await cluster[0].Node.SpawnAsync<Sentinel>();
        await failing.LinkToAsync(partner);
        await using var partnerDown = await cluster[0].Node.MonitorAsync(partner);

        await failing.SendMeAsync(Destination.Node("b"));
        await partner.SendMeAsync(Destination.Node("c"));
        await failing.FailAsync("far away");

        var down = await partnerDown.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Contains("far away", down.ErrorMessage);
        Assert.Contains($"stopping {partner.Id}", cluster[2].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_node_going_down_after_the_target_moved_away_sends_no_false_Down()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var watcher = await cluster[0].Node.SpawnAsync<Sentinel>();
        await watcher.RegisterAsync("watcher");
        var target = await cluster[2].Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(target);
        await using var nodeMonitor = await cluster[0].Node.MonitorAsync(target);
        var targetFromA = await Seen.From(cluster[0], target); // c, where the first reference is bound, goes down below

        await targetFromA.SendMeAsync(Destination.Node("b")); // after the watcher's monitor request (per-sender order)
        // The arrival told the watchers where it lives, from b, before the move completed; a call from b to the
        // watcher comes after that news on the same way (per-sender order).
        var watcherFromB = (await cluster[1].Node.WhereIsAsync<Sentinel>("watcher"))!;
        await watcherFromB.PingAsync();
        await cluster[2].Node.StopAsync();
        await Wait.UntilAsync(() => cluster[0].Node.Nodes.SequenceEqual(["b"]), "a sees c go");
        // The directory entries c owned are re-homed by their hosts: until then a message a sends to c finds no way on.
        await Wait.UntilAsync(async () => await cluster[0].Node.LocateQuietlyAsync(target.Id) == "b", "a's directory finds the target on b");
        await targetFromA.FailAsync("the real end");

        Assert.Equal("the real end", (await nodeMonitor.Down.WithDeadline()).ErrorMessage);
        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the watcher got a Down");
        Assert.Equal([$"{target.Id}:Exception:the real end"], await watcher.DownsAsync());
    }
}
