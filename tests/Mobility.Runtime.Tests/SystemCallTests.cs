using Mobility.Processes;
using Mobility.Migration;
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

    [Fact]
    public async Task A_move_that_outlives_its_timeout_reports_its_outcome_unknown_and_the_process_runs_in_one_place()
    {
        await using var cluster = await TestCluster.StartAsync(2, options =>
        {
            options.CallTimeout = TimeSpan.FromMilliseconds(300);
            options.MigrationTimeout = TimeSpan.FromMilliseconds(500); // SendMeAsync waits 0.3 + 3 × 0.5 s
        });
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var counter = await a.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Migration.OnStep = (step, _) => step == MigrationStep.OfferAccepted ? held.Task : Task.CompletedTask; // the move stalls mid-way

        var exception = await Assert.ThrowsAsync<MigrationOutcomeUnknownException>(() => counter.SendMeAsync(Destination.Node("b")).WithDeadline());

        Assert.Contains("may still commit", exception.Message, StringComparison.Ordinal);
        held.SetResult(); // the move goes on (here its destination's copy has expired meanwhile: it rolls back)
        Assert.Equal(6, await counter.IncrementAsync(1));
        await Wait.UntilAsync(
            () => (a.Context.Routes.Find(counter.Id)?.Local is not null) != (b.Context.Routes.Find(counter.Id)?.Local is not null),
            "the process runs on exactly one node");
    }

    [Fact]
    public async Task A_move_the_process_never_took_before_the_timeout_is_withdrawn_and_nothing_moves()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.MigrationTimeout = TimeSpan.FromMilliseconds(100));
        var recorder = await cluster[0].Node.SpawnAsync<Recorder>();
        var busy = recorder.WaitAtGateAsync("busy").AsTask();
        await cluster[0].Get<Gate>().Reached.WithDeadline();

        var exception = await Assert.ThrowsAsync<MigrationFailedException>( // after 0.2 + 3 × 0.1 s
            () => recorder.WithCallTimeout(TimeSpan.FromMilliseconds(200)).SendMeAsync(Destination.Node("b")).WithDeadline());

        Assert.Equal(MigrationFailureReason.Timeout, exception.Reason);
        cluster[0].Get<Gate>().Open();
        await busy.WithDeadline();
        Assert.Equal(2, await recorder.NoteAndCountAsync("after"));
        Assert.NotNull(cluster[0].Node.Context.Routes.Find(recorder.Id)?.Local); // still on a
    }

    [Fact]
    public async Task A_node_stopping_waits_for_a_busy_process_past_the_call_timeout_as_its_caller_allows()
    {
        await using var test = await TestNode.StartAsync(options => options.CallTimeout = TimeSpan.FromMilliseconds(100));
        var recorder = await test.Node.SpawnAsync<Recorder>();
        _ = recorder.WithCallTimeout(Timeout.InfiniteTimeSpan).WaitAtGateAsync("busy").AsTask();
        await test.Get<Gate>().Reached.WithDeadline();

        var stopping = test.Node.StopAsync();

        Assert.True(await stopping.StaysPendingAsync(TimeSpan.FromMilliseconds(400)), "the node gave up on its process after the call timeout");
        test.Get<Gate>().Open();
        await stopping.WithDeadline(); // the process finished its handler, then stopped
        Assert.False(test.Node.Context.Routes.Find(recorder.Id)?.Local?.IsRunning ?? false);
    }

    [Fact]
    public async Task A_monitor_of_a_process_busy_past_the_call_timeout_is_registered_when_it_gets_there_and_hears_the_Down()
    {
        await using var test = await TestNode.StartAsync(options => options.CallTimeout = TimeSpan.FromMilliseconds(100));
        var recorder = await test.Node.SpawnAsync<Recorder>();
        _ = recorder.WithCallTimeout(Timeout.InfiniteTimeSpan).WaitAtGateAsync("busy").AsTask();
        await test.Get<Gate>().Reached.WithDeadline();

        var monitoring = test.Node.MonitorAsync(recorder);

        Assert.True(await monitoring.StaysPendingAsync(TimeSpan.FromMilliseconds(400)), "a monitor request gave up on a busy target");
        test.Get<Gate>().Open();
        await using var monitor = await monitoring.WithDeadline();
        await recorder.StopAsync();
        Assert.Equal(ExitReason.Normal, (await monitor.Down.WithDeadline()).Reason);
    }

    [Fact]
    public async Task A_move_asked_from_another_node_that_times_out_after_it_left_is_unknown_not_withdrawn()
    {
        await using var cluster = await TestCluster.StartAsync(3, options => options.MigrationTimeout = TimeSpan.FromMilliseconds(100));
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var counter = await a.SpawnAsync<Counter>();
        var fromB = new ProcessRef<Counter>(counter.Id, a.Name, b.Router).WithCallTimeout(TimeSpan.FromMilliseconds(100));
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Migration.OnStep = (step, _) => step == MigrationStep.OfferAccepted ? held.Task : Task.CompletedTask;

        // b's request left b: b cannot withdraw it, so it must not say the process did not move.
        await Assert.ThrowsAsync<MigrationOutcomeUnknownException>(() => fromB.SendMeAsync(Destination.Node("c")).WithDeadline());

        held.SetResult();
        Assert.Equal(1, await counter.IncrementAsync(1)); // wherever the move ended, the process answers from one place
    }
}
