using Microsoft.Extensions.DependencyInjection.Extensions;
using Mobility.Processes;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class MigrationTests
{
    [Fact]
    public async Task A_process_moves_with_its_state_and_the_same_reference_keeps_working_from_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RenameAsync("traveller");
        await counter.IncrementAsync(5);
        await counter.RegisterAsync("traveller");

        await counter.SendMeAsync(Destination.Node("b"));

        Assert.Equal(6, await counter.IncrementAsync(1));
        foreach (var node in cluster.Nodes)
        {
            var byName = (await node.Node.WhereIsAsync<Counter>("traveller"))!;
            await byName.IncrementAsync(1);
        }

        Assert.Equal("traveller: 9 [+5 +1 +1 +1 +1]", await counter.DescribeAsync());
        Assert.Contains("arrived from a", cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task Transient_members_are_injected_from_the_destinations_services()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();

        await counter.SendMeAsync(Destination.Node("b"));
        await counter.WriteJournalAsync("written after the move");

        Assert.Contains("written after the move", cluster[1].Get<Journal>().Entries);
        Assert.DoesNotContain("written after the move", cluster[0].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_process_moves_back_and_forth_many_times()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        string[] hops = ["b", "a", "b", "c", "a", "c", "b", "a"];

        for (var round = 0; round < 3; round++)
        {
            foreach (var hop in hops)
            {
                await counter.SendMeAsync(Destination.Node(hop));
                await counter.IncrementAsync(1);
            }
        }

        Assert.Equal(hops.Length * 3, await counter.IncrementAsync(0));
    }

    [Fact]
    public async Task A_process_moves_while_processes_on_every_node_are_calling_it()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("busy");
        var pings = new List<Task<int>>();
        foreach (var node in cluster.Nodes)
        {
            var pinger = await node.Node.SpawnAsync<Pinger>();
            var target = (await node.Node.WhereIsAsync<Counter>("busy"))!;
            pings.Add(pinger.WithCallTimeout(TimeSpan.FromSeconds(30)).PingAsync(target, 200).AsTask());
        }

        string[] hops = ["b", "c", "a", "c", "b", "a"];
        foreach (var hop in hops)
        {
            await counter.SendMeAsync(Destination.Node(hop));
        }

        var answered = await Task.WhenAll(pings).WithDeadline();
        Assert.Equal([200, 200, 200], answered);
        Assert.Equal(600, await counter.IncrementAsync(0));
    }

    [Fact]
    public async Task A_process_asks_to_leave_from_its_own_handler()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(2);

        await counter.LeaveAsync("b"); // replies once the move is done

        Assert.Contains("arrived from a", cluster[1].Get<Journal>().Entries);
        Assert.Equal(3, await counter.IncrementAsync(1));
    }

    [Fact]
    public async Task A_destination_that_does_not_know_the_type_refuses_and_the_process_resumes_with_its_state()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        await using var stranger = await TestNode.StartAsync(
            options =>
            {
                options.NodeName = "stranger";
                options.Cookie = TestCluster.Cookie;
            },
            services => services.RemoveAll<ProcessType>());
        await stranger.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!);
        await Wait.UntilAsync(() => cluster[0].Node.Nodes.Contains("stranger"), "node a counts the stranger as a member");
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(41);

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("stranger")));

        Assert.Equal(MigrationFailureReason.Refused, exception.Reason);
        Assert.Contains("not registered", exception.Message);
        Assert.Equal(42, await counter.IncrementAsync(1));
        await counter.SendMeAsync(Destination.Node("a")).ContinueWith(_ => { }); // (already there: refused, harmless)
    }

    [Fact]
    public async Task A_later_move_succeeds_after_a_rolled_back_one()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();

        await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("nowhere")));
        await counter.SendMeAsync(Destination.Node("b"));

        Assert.Equal(1, await counter.IncrementAsync(1));
        Assert.Contains("arrived from a", cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_pending_timer_fires_at_the_destination_at_its_original_due_time()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var ticker = await cluster[0].Node.SpawnAsync<Ticker>();
        var due = await ticker.ArmAsync(400, "after the move");
        Assert.True(await ticker.ArmAndCancelAsync(100));

        await ticker.SendMeAsync(Destination.Node("b"));

        await Wait.UntilAsync(() => cluster[1].Get<Journal>().Entries.Any(entry => entry.StartsWith("tick after the move on b", StringComparison.Ordinal)), "the timer fired on b");
        var fired = cluster[1].Get<Journal>().Entries.Single(entry => entry.StartsWith("tick", StringComparison.Ordinal));
        var firedAt = long.Parse(fired.Split(' ')[^3]);
        Assert.InRange(firedAt, due - TimeSpan.FromMilliseconds(5).Ticks, due + TimeSpan.FromSeconds(1).Ticks);
        Assert.Equal(["after the move"], await ticker.TicksAsync());
        Assert.DoesNotContain(cluster[0].Get<Journal>().Entries, entry => entry.StartsWith("tick", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_queued_during_a_move_are_handled_once_in_order_at_the_destination()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var recorder = await cluster[0].Node.SpawnAsync<Recorder>();
        var gate = cluster[0].Get<Gate>();
        var blocker = recorder.WaitAtGateAsync("first").AsTask();
        await gate.Reached.WithDeadline();

        var move = recorder.SendMeAsync(Destination.Node("b"));
        for (var i = 0; i < 100; i++)
        {
            recorder.Note($"n{i}");
        }

        gate.Open();
        await blocker.WithDeadline();
        await move.WithDeadline();
        for (var i = 100; i < 200; i++)
        {
            recorder.Note($"n{i}");
        }

        Assert.Equal(["first", .. Enumerable.Range(0, 200).Select(i => $"n{i}")], await recorder.SeenAsync());
    }
}
