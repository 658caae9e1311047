using Mobility.Processes;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

/// <summary>
/// The runtime's own requests to a process (register, move, stop) take the path calls take: a reply, the timeout or the
/// caller's cancellation, whichever comes first; none waits for ever.
/// </summary>
public sealed class SystemCallTests
{
    [Fact]
    public async Task Stopping_a_process_busy_past_the_call_timeout_times_out_and_the_stop_is_withdrawn()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        var busy = recorder.WaitAtGateAsync("busy").AsTask();
        await test.Get<Gate>().Reached.WithDeadline();

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => recorder.WithCallTimeout(TimeSpan.FromMilliseconds(200)).StopAsync().WithDeadline());

        Assert.Contains("'Stop'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("withdrawn", exception.Message, StringComparison.Ordinal);
        test.Get<Gate>().Open();
        Assert.Equal("busy", await busy.WithDeadline());
        Assert.Equal(2, await recorder.NoteAndCountAsync("after")); // still running: the withdrawn stop never ran
    }

    [Fact]
    public async Task Registering_from_a_busy_process_times_out_like_a_call()
    {
        await using var test = await TestNode.StartAsync();
        var recorder = await test.Node.SpawnAsync<Recorder>();
        _ = recorder.WaitAtGateAsync("busy").AsTask();
        await test.Get<Gate>().Reached.WithDeadline();

        var exception = await Assert.ThrowsAsync<TimeoutException>(() => recorder.WithCallTimeout(TimeSpan.FromMilliseconds(200)).RegisterAsync("late").WithDeadline());

        Assert.Contains("'Register'", exception.Message, StringComparison.Ordinal);
        test.Get<Gate>().Open();
        Assert.Null(await test.Node.WhereIsAsync<Recorder>("late"));
    }

    [Fact]
    public void A_move_is_given_the_call_timeout_plus_three_migration_timeouts()
    {
        var move = new MoveRequest(Destination.Node("b"));

        Assert.Equal(TimeSpan.FromSeconds(5 + (3 * 2)), move.TimeoutFor(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)));
        Assert.Equal(Timeout.InfiniteTimeSpan, move.TimeoutFor(Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), new StopRequest().TimeoutFor(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)));
    }
}
