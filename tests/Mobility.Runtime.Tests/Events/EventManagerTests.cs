using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Mobility.Tests.Support;

namespace Mobility.Tests.Events;

// Shares a collection with the other tests that make handlers fail: one of them counts the process-wide metric.
[Collection(nameof(EventHandlerMetric))]
public sealed class EventManagerTests
{
    [Fact]
    public async Task Added_handlers_each_get_every_event_and_leave_when_removed()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler { Label = "first" }, "first");
        await manager.AddHandlerAsync(new RecordingHandler { Label = "second" }, "second");

        manager.Notify(new DoorEvent(1, "front"));
        await manager.SyncNotifyAsync(new DoorEvent(2, "back"));
        Assert.True(await manager.RemoveHandlerAsync("first"));
        await manager.SyncNotifyAsync(new DoorEvent(3, "front"));

        Assert.Equal(["second"], await manager.WhichHandlersAsync());
        Assert.Equal("second[1,2,3]", await manager.Handler("second").CallAsync<Report, string>(new Report("")));
        Assert.Equal(["added first", "added second", "removed first: Removed"], test.Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_handler_added_without_an_id_is_known_by_its_class_name()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();

        await manager.AddHandlerAsync(new CountingHandler());
        await manager.AddHandlerAsync(new RecordingHandler());

        Assert.Equal(["CountingHandler", "RecordingHandler"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task Removing_an_unknown_handler_returns_false_and_changes_nothing()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new CountingHandler());

        Assert.False(await manager.RemoveHandlerAsync("nobody"));

        Assert.Equal(["CountingHandler"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task Adding_a_second_handler_under_a_taken_id_fails_and_keeps_the_first()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler { Label = "original" }, "log");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.AddHandlerAsync(new RecordingHandler(), "log").AsTask());

        Assert.Contains("already has a handler 'log'", exception.Message);
        Assert.Equal("original[]", await manager.Handler("log").CallAsync<Report, string>(new Report("")));
    }

    [Fact]
    public async Task A_handler_whose_OnAdded_throws_is_not_added()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.AddHandlerAsync(new RefusingHandler()).AsTask());

        Assert.Equal("not today", exception.Message);
        Assert.Empty(await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task Swapping_replaces_a_handler_in_its_place_and_the_new_one_takes_over_the_old_ones_state()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "before");
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        await manager.AddHandlerAsync(new RecordingHandler(), "after");
        manager.Notify(new DoorEvent(10, "front"));
        manager.Notify(new DoorEvent(20, "back"));

        await manager.SwapHandlerAsync("count", new SummingHandler(), "sum");
        await manager.SyncNotifyAsync(new DoorEvent(5, "front"));

        Assert.Equal(["before", "sum", "after"], await manager.WhichHandlersAsync());
        Assert.Equal(2 + 5, await manager.Handler("sum").CallAsync<string, int>("*")); // 2 events counted, then 5 summed
    }

    [Fact]
    public async Task Swapping_tells_the_old_handler_it_was_swapped_and_a_newcomer_that_refuses_leaves_neither()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "log");
        await manager.AddHandlerAsync(new RecordingHandler(), "spare");

        await manager.SwapHandlerAsync("log", new CountingHandler(), "count");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.SwapHandlerAsync("spare", new RefusingHandler(), "refusing").AsTask());

        Assert.Equal("not today", refused.Message);
        Assert.Equal(["added log", "added spare", "removed log: Swapped", "removed spare: Swapped"], test.Get<Journal>().Entries);
        Assert.Equal(["count"], await manager.WhichHandlersAsync()); // as in Erlang: the old handler went before the new one refused
    }

    [Fact]
    public async Task Swapping_an_unknown_handler_or_onto_a_taken_id_fails_and_changes_nothing()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        await manager.AddHandlerAsync(new RecordingHandler(), "log");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => manager.SwapHandlerAsync("nobody", new SummingHandler()).AsTask());
        var taken = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.SwapHandlerAsync("log", new SummingHandler(), "count").AsTask());

        Assert.Contains("already has a handler 'count'", taken.Message);
        Assert.Equal(["count", "log"], await manager.WhichHandlersAsync());
        Assert.DoesNotContain(test.Get<Journal>().Entries, entry => entry.StartsWith("removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_handler_sees_the_events_of_one_sender_in_the_order_they_were_sent()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "one");
        await manager.AddHandlerAsync(new RecordingHandler(), "two");

        for (var i = 1; i <= 500; i++)
        {
            manager.Notify(new DoorEvent(i, "front"));
        }

        await manager.SyncNotifyAsync(new DoorEvent(501, "front"));

        var expected = $"[{string.Join(",", Enumerable.Range(1, 501))}]";
        Assert.Equal(expected, await manager.Handler("one").CallAsync<Report, string>(new Report("")));
        Assert.Equal(expected, await manager.Handler("two").CallAsync<Report, string>(new Report("")));
    }

    [Fact]
    public async Task SyncNotify_returns_once_every_handler_has_handled_the_event()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new GatedHandler(), "gated");
        await manager.AddHandlerAsync(new RecordingHandler(), "log");
        var gate = test.Get<Gate>();

        var notified = manager.SyncNotifyAsync(new DoorEvent(1, "front")).AsTask();
        await gate.Reached.WithDeadline();
        Assert.False(notified.IsCompleted);
        gate.Open();
        var result = await notified.WithDeadline();

        Assert.Equal(["gated", "log"], result.HandledBy);
        Assert.Empty(result.Removed);
        Assert.Equal("[1]", await manager.Handler("log").CallAsync<Report, string>(new Report("")));
    }

    [Fact]
    public async Task A_handler_that_throws_is_removed_and_reported_and_the_others_still_get_the_event()
    {
        using var metric = new RemovedHandlersMetric();
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "before");
        await manager.AddHandlerAsync(new FailingHandler { FailOn = 2 }, "jammer");
        await manager.AddHandlerAsync(new RecordingHandler(), "after");

        manager.Notify(new DoorEvent(1, "front"));
        var result = await manager.SyncNotifyAsync(new DoorEvent(2, "front"));
        await manager.SyncNotifyAsync(new DoorEvent(3, "front"));

        Assert.Equal(["before", "after"], result.HandledBy);
        var removed = Assert.Single(result.Removed);
        Assert.Equal(new RemovedEventHandler("jammer", typeof(InvalidOperationException).FullName!, "jammed at 2"), removed);
        Assert.Equal(["before", "after"], await manager.WhichHandlersAsync());
        Assert.Equal("[1,2,3]", await manager.Handler("after").CallAsync<Report, string>(new Report("")));
        Assert.Contains("removed jammer: Failed jammed at 2", test.Get<Journal>().Entries);
        var warning = Assert.Single(test.Logs.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Contains("'jammer'", warning.Message);
        Assert.Contains("Mobility.EventManager<Mobility.Tests.Events.DoorEvent>", warning.Message);
        Assert.Equal("jammed at 2", warning.Exception?.Message);
        Assert.Equal(1, metric.RemovedOf("Mobility.Tests.Events.FailingHandler"));
    }

    [Fact]
    public async Task A_handler_that_throws_on_a_Notify_is_removed_and_the_manager_keeps_running()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new FailingHandler { FailOn = 1 }, "jammer");

        manager.Notify(new DoorEvent(1, "front"));

        await Wait.UntilAsync(async () => (await manager.WhichHandlersAsync()).Count == 0, "the failing handler is removed");
        await manager.AddHandlerAsync(new FailingHandler { FailOn = 1 }, "jammer");
        Assert.Equal(["jammer"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task A_handler_that_asks_to_be_removed_handles_that_event_and_leaves()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new OneShotHandler(), "once");
        await manager.AddHandlerAsync(new RecordingHandler(), "log");

        var first = await manager.SyncNotifyAsync(new DoorEvent(1, "front"));
        var last = await manager.SyncNotifyAsync(new DoorEvent(2, "exit"));
        var after = await manager.SyncNotifyAsync(new DoorEvent(3, "front"));

        Assert.Equal(["once", "log"], first.HandledBy);
        Assert.Equal(["once", "log"], last.HandledBy);
        Assert.Equal(["log"], after.HandledBy);
        Assert.Empty(last.Removed);
        Assert.Contains("removed once: Removed", test.Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_call_answered_by_one_handler_gets_its_reply()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new CountingHandler(), "count");
        manager.Notify(new DoorEvent(1, "front"));
        manager.Notify(new DoorEvent(2, "back"));
        manager.Notify(new DoorEvent(3, "front"));

        Assert.Equal(2, await manager.Handler("count").CallAsync<string, int>("front"));
        Assert.Equal(3, await manager.Handler("count").CallAsync<string, int>("*"));
    }

    [Fact]
    public async Task A_call_to_a_handler_that_throws_fails_with_its_exception_and_removes_it()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new FailingHandler(), "jammer");
        await manager.AddHandlerAsync(new CountingHandler(), "count");

        var exception = await Assert.ThrowsAsync<FormatException>(() => manager.Handler("jammer").CallAsync<Report, string>(new Report("")).AsTask());

        Assert.Equal("cannot report", exception.Message);
        Assert.Equal(["count"], await manager.WhichHandlersAsync());
        Assert.Contains("removed jammer: Failed cannot report", test.Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_call_to_an_unknown_handler_or_with_types_it_does_not_answer_fails_and_removes_nothing()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new CountingHandler(), "count");

        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => manager.Handler("nobody").CallAsync<string, int>("*").AsTask());
        var mismatch = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.Handler("count").CallAsync<Report, string>(new Report("")).AsTask());

        Assert.Contains("no handler 'nobody'", unknown.Message);
        Assert.Contains("does not answer calls", mismatch.Message);
        Assert.Equal(["count"], await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task A_handler_of_an_unregistered_class_is_refused()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => manager.AddHandlerAsync(new UnregisteredHandler()).AsTask());

        Assert.Contains("AddEventHandler<Mobility.Tests.Events.UnregisteredHandler>()", exception.Message);
        Assert.Empty(await manager.WhichHandlersAsync());
    }

    [Fact]
    public async Task Stopping_the_manager_removes_its_handlers()
    {
        await using var test = await EventNodes.StartAsync();
        var manager = await test.Node.SpawnAsync<EventManager<DoorEvent>>();
        await manager.AddHandlerAsync(new RecordingHandler(), "log");

        await manager.StopAsync();

        Assert.Contains("removed log: ManagerStopped", test.Get<Journal>().Entries);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => manager.WhichHandlersAsync().AsTask());
    }

    /// <summary>Counts <c>mobility.event_handlers.removed</c> by handler type, for the test that creates it.</summary>
    private sealed class RemovedHandlersMetric : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _removed = [];

        public RemovedHandlersMetric()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Mobility" && instrument.Name == "mobility.event_handlers.removed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "mobility.event_handler.type" && tag.Value is string type)
                    {
                        lock (_removed)
                        {
                            _removed[type] = _removed.GetValueOrDefault(type) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public long RemovedOf(string handlerType)
        {
            lock (_removed)
            {
                return _removed.GetValueOrDefault(handlerType);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
