using Mobility.Tests.Support;

namespace Mobility.Tests.Events;

[Collection(nameof(EventHandlerMetric))] // makes handlers fail: not while EventManagerTests counts them
public sealed class EventManagerClusterTests
{
    [Fact]
    public async Task A_manager_on_another_node_is_driven_with_encoded_events_handlers_requests_and_replies()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var onB = await cluster[1].Node.SpawnAsync<EventManager<DoorEvent>>();
        await onB.RegisterAsync("doors");
        var manager = (await cluster[0].Node.WhereIsAsync<EventManager<DoorEvent>>("doors"))!;

        await manager.AddHandlerAsync(new RecordingHandler { Label = "log" }, "log");
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        await manager.AddHandlerAsync(new FailingHandler { FailOn = 3 }, "jammer");
        manager.Notify(new DoorEvent(1, "front"));
        manager.Notify(new DoorEvent(2, "back"));
        var result = await manager.SyncNotifyAsync(new DoorEvent(3, "front"));

        Assert.Equal(["log", "count"], result.HandledBy);
        Assert.Equal("jammer", Assert.Single(result.Removed).Id);
        Assert.Equal(2, await manager.Handler("count").CallAsync<string, int>("front"));
        Assert.Equal(">log[1,2,3]", await manager.Handler("log").CallAsync<Report, string>(new Report(">")));
        Assert.Contains("added log", cluster[1].Get<Journal>().Entries);
        Assert.DoesNotContain("added log", cluster[0].Get<Journal>().Entries);

        await manager.SwapHandlerAsync("count", new SummingHandler(), "sum");
        Assert.Equal(3, await manager.Handler("sum").CallAsync<string, int>("*"));
        Assert.True(await manager.RemoveHandlerAsync("log"));
        Assert.False(await manager.RemoveHandlerAsync("log"));
        Assert.Equal(["sum"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task Failures_of_a_manager_on_another_node_reach_the_caller_and_the_manager_keeps_running()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var onB = await cluster[1].Node.SpawnAsync<EventManager<DoorEvent>>();
        await onB.RegisterAsync("doors");
        var manager = (await cluster[0].Node.WhereIsAsync<EventManager<DoorEvent>>("doors"))!;
        await manager.AddHandlerAsync(new FailingHandler(), "jammer");
        await manager.AddHandlerAsync(new CountingHandler(), "count");

        var thrown = await Assert.ThrowsAsync<RemoteProcessException>(() => manager.Handler("jammer").CallAsync<Report, string>(new Report("")).AsTask());
        var mismatch = await Assert.ThrowsAsync<RemoteProcessException>(() => manager.Handler("count").CallAsync<Report, string>(new Report("")).AsTask());
        var unknown = await Assert.ThrowsAsync<RemoteProcessException>(() => manager.Handler("nobody").CallAsync<string, int>("*").AsTask());
        var duplicate = await Assert.ThrowsAsync<RemoteProcessException>(() => manager.AddHandlerAsync(new CountingHandler(), "count").AsTask());

        Assert.Equal((typeof(FormatException).FullName, "cannot report"), (thrown.RemoteType, thrown.RemoteMessage));
        Assert.Equal(typeof(InvalidOperationException).FullName, mismatch.RemoteType);
        Assert.Equal(typeof(KeyNotFoundException).FullName, unknown.RemoteType);
        Assert.Contains("already has a handler 'count'", duplicate.RemoteMessage);
        Assert.Equal(["count"], await manager.WhichHandlersAsync());
        Assert.Equal(0, await manager.Handler("count").CallAsync<string, int>("*"));
    }

    [Fact]
    public async Task A_handler_class_not_registered_on_the_managers_node_is_refused_and_never_instantiated_there()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var onB = await cluster[1].Node.SpawnAsync<EventManager<DoorEvent>>();
        await onB.RegisterAsync("doors");
        var manager = (await cluster[0].Node.WhereIsAsync<EventManager<DoorEvent>>("doors"))!;
        var handler = new LocalOnlyHandler();
        var created = LocalOnlyHandler.Created;

        var refused = await Assert.ThrowsAsync<RemoteProcessException>(() => manager.AddHandlerAsync(handler).AsTask());

        Assert.Contains("not registered", refused.RemoteMessage);
        Assert.Equal(created, LocalOnlyHandler.Created);
        Assert.Empty(await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task A_manager_holding_a_handler_its_destination_does_not_know_stays_where_it_is_with_its_handlers()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var manager = await cluster[0].Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        await manager.AddHandlerAsync(new LocalOnlyHandler(), "local");
        manager.Notify(new DoorEvent(1, "front"));
        var created = LocalOnlyHandler.Created;

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => manager.SendMeAsync(Destination.Node("b")));

        Assert.Contains("LocalOnlyHandler", failed.Message);
        Assert.Equal(created, LocalOnlyHandler.Created);
        await manager.SyncNotifyAsync(new DoorEvent(2, "front"));
        Assert.Equal(2, await manager.Handler("count").CallAsync<string, int>("front"));
        Assert.Equal(["count", "local"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task An_event_manager_moved_with_three_handlers_keeps_their_states_and_they_continue()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var manager = await cluster[0].Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler { Label = "log" }, "log");
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        await manager.AddHandlerAsync(new SummingHandler(), "sum");
        manager.Notify(new DoorEvent(1, "front"));
        manager.Notify(new DoorEvent(2, "back"));
        manager.Notify(new DoorEvent(3, "front"));

        await manager.SendMeAsync(Destination.Node("b"));
        manager.Notify(new DoorEvent(4, "back"));
        await manager.SyncNotifyAsync(new DoorEvent(5, "front"));

        Assert.Equal(["log", "count", "sum"], await manager.WhichHandlersAsync());
        Assert.Equal("log[1,2,3,4,5]", await manager.Handler("log").CallAsync<Report, string>(new Report("")));
        Assert.Equal(3, await manager.Handler("count").CallAsync<string, int>("front"));
        Assert.Equal(2, await manager.Handler("count").CallAsync<string, int>("back"));
        Assert.Equal(15, await manager.Handler("sum").CallAsync<string, int>("*"));

        await manager.SendMeAsync(Destination.Node("a"));
        await manager.SyncNotifyAsync(new DoorEvent(6, "back"));

        Assert.Equal("log[1,2,3,4,5,6]", await manager.Handler("log").CallAsync<Report, string>(new Report("")));
        Assert.Equal(3, await manager.Handler("count").CallAsync<string, int>("back"));
        Assert.Equal(21, await manager.Handler("sum").CallAsync<string, int>("*"));
        Assert.Equal(["added log"], cluster[0].Get<Journal>().Entries); // a move is not a new add
        Assert.Empty(cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_manager_moved_while_events_stream_in_loses_none_and_keeps_their_order()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var manager = await cluster[0].Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "log");
        const int count = 3000;
        using var moving = new CancellationTokenSource();
        var moves = 0;

        var mover = Task.Run(async () =>
        {
            string[] hops = ["b", "a"];
            while (!moving.IsCancellationRequested)
            {
                await manager.SendMeAsync(Destination.Node(hops[Volatile.Read(ref moves) % 2]));
                Interlocked.Increment(ref moves);
            }
        });
        for (var i = 1; i <= count; i++)
        {
            manager.Notify(new DoorEvent(i, "front"));
            if (i % 500 == 0)
            {
                await Wait.UntilAsync(() => Volatile.Read(ref moves) >= i / 500, $"move {i / 500} while events stream in");
            }
        }

        await moving.CancelAsync();
        await mover.WithDeadline();
        await manager.SyncNotifyAsync(new DoorEvent(count + 1, "front"));

        Assert.True(moves >= count / 500, $"only {moves} moves");
        Assert.Equal($"[{string.Join(",", Enumerable.Range(1, count + 1))}]", await manager.Handler("log").CallAsync<Report, string>(new Report("")));
    }

    [Fact]
    public async Task Calls_and_handlers_waiting_in_the_queue_during_a_move_are_answered_at_the_destination()
    {
        await using var cluster = await EventNodes.StartClusterAsync(2);
        var manager = await cluster[0].Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new GatedHandler(), "gated");
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        var gate = cluster[0].Get<Gate>();

        manager.Notify(new DoorEvent(1, "front"));
        await gate.Reached.WithDeadline();
        var move = manager.SendMeAsync(Destination.Node("b"));
        var counted = manager.Handler("count").CallAsync<string, int>("front").AsTask();
        var added = manager.AddHandlerAsync(new RecordingHandler { Label = "late" }, "late").AsTask();
        gate.Open();
        await move.WithDeadline();

        Assert.Equal(1, await counted.WithDeadline());
        await added.WithDeadline();
        Assert.Contains("added late", cluster[1].Get<Journal>().Entries);
        Assert.Equal(["gated", "count", "late"], await manager.WhichHandlersAsync());
    }
}
