using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class TimeoutAndCancellationTests
{
    [Fact]
    public async Task A_call_without_reply_in_time_throws_TimeoutException_and_its_late_reply_is_dropped()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var gate = test.Get<Gate>();

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => recorder.WithCallTimeout(TimeSpan.FromMilliseconds(100)).WaitAtGateAsync("slow").AsTask());
        Assert.Contains("still running", exception.Message);

        gate.Open();
        Assert.Equal(["slow"], await recorder.SeenAsync()); // it ran to completion; nobody received its reply
    }

    [Fact]
    public async Task A_call_that_times_out_before_it_starts_is_withdrawn()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var gate = test.Get<Gate>();
        var blocker = recorder.WaitAtGateAsync("blocker").AsTask();
        await gate.Reached.WithDeadline();

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => recorder.WithCallTimeout(TimeSpan.FromMilliseconds(50)).NoteSlowlyAsync("queued").AsTask());
        Assert.Contains("withdrawn", exception.Message);

        gate.Open();
        await blocker.WithDeadline();
        Assert.Equal(["blocker"], await recorder.SeenAsync());
    }

    [Fact]
    public async Task The_default_call_timeout_comes_from_the_options()
    {
        await using var test = await TestNode.StartAsync(options => options.CallTimeout = TimeSpan.FromMilliseconds(100));
        var recorder = await test.Node.SpawnAsync<Recorder>();

        await Assert.ThrowsAsync<TimeoutException>(() => recorder.WaitAtGateAsync("never").AsTask());
        test.Get<Gate>().Open();
    }

    [Fact]
    public async Task A_call_cancelled_before_it_starts_is_removed_from_the_mailbox()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var gate = test.Get<Gate>();
        var blocker = recorder.WaitAtGateAsync("blocker").AsTask();
        await gate.Reached.WithDeadline();
        using var cancellation = new CancellationTokenSource();

        var queued = recorder.NoteSlowlyAsync("cancelled before start", cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        gate.Open();
        await blocker.WithDeadline();
        Assert.Equal(["blocker"], await recorder.SeenAsync());
    }

    [Fact]
    public async Task A_call_timeout_must_be_positive()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.WithCallTimeout(TimeSpan.Zero));
        Assert.Equal(counter, counter.WithCallTimeout(Timeout.InfiniteTimeSpan));
    }
}
