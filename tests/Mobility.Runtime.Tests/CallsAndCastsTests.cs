using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class CallsAndCastsTests
{
    [Fact]
    public async Task A_call_returns_the_handler_result()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        Assert.Equal(5, await counter.IncrementAsync(5));
        Assert.Equal(7, await counter.IncrementAsync(2));
    }

    [Fact]
    public async Task A_cast_returns_at_once_and_is_handled_before_later_messages()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);

        counter.Reset();

        Assert.Equal(1, await counter.IncrementAsync(1));
    }

    [Fact]
    public async Task Async_handlers_and_void_calls_complete_like_any_call()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        await counter.RenameAsync("apples");
        await counter.IncrementAsync(3);

        Assert.Equal("apples: 3 [+3]", await counter.DescribeAsync());
    }

    [Fact]
    public async Task Messages_from_one_sender_are_handled_in_send_order()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var expected = Enumerable.Range(0, 500).Select(i => $"m{i}").ToList();

        foreach (var item in expected)
        {
            recorder.Note(item);
        }

        Assert.Equal(expected, await recorder.SeenAsync());
    }

    [Fact]
    public async Task Async_handlers_never_interleave()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();

        var calls = Enumerable.Range(0, 50).Select(i => recorder.NoteSlowlyAsync($"s{i}").AsTask()).ToArray();
        await Task.WhenAll(calls).WithDeadline();

        Assert.Equal(1, await recorder.MaxConcurrentHandlersAsync());
        Assert.Equal(50, (await recorder.SeenAsync()).Count);
    }

    [Fact]
    public async Task A_message_waits_until_the_running_async_handler_has_finished()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var gate = test.Get<Gate>();

        var blocked = recorder.WaitAtGateAsync("first").AsTask();
        await gate.Reached.WithDeadline();
        recorder.Note("second");
        var seen = recorder.SeenAsync().AsTask();
        Assert.False(seen.IsCompleted);

        gate.Open();

        Assert.Equal("first", await blocked.WithDeadline());
        Assert.Equal(["first", "second"], await seen.WithDeadline());
    }

    [Fact]
    public async Task A_handler_sees_the_callers_cancellation_token()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        using var cancellation = new CancellationTokenSource();

        var waiting = recorder.WaitForCancellationAsync(cancellation.Token).AsTask();
        await Wait.UntilAsync(() => test.Get<Journal>().Entries.Contains("waiting for cancellation"), "the handler runs");
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Contains("cancelled", await recorder.SeenAsync()); // queued behind the handler, so it ran to its end first
    }

    [Fact]
    public async Task Processes_hold_references_to_each_other_and_call_through_them()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        var inventory = await test.Node.SpawnAsync<Inventory>();

        await inventory.ConfigureAsync("ops", counter, []);

        Assert.Equal(4, await inventory.AuditAsync(4));
        Assert.Equal(4, await counter.IncrementAsync(0));
    }

    [Fact]
    public async Task Self_is_the_reference_the_spawner_got()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        Assert.Equal(counter, await counter.MeAsync());
    }
}
