using Microsoft.Extensions.Logging;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

/// <summary>
/// "Let it crash": a process declared <c>[MobileProcess(StopOnUnhandledException = true)]</c> stops, as <c>Stop(exception)</c>
/// would, when an exception escapes one of its handlers or hooks; without the option it keeps running.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task A_crashing_cast_stops_the_process_and_its_monitor_gets_Down_Exception_with_the_type_and_message()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        await using var monitor = await test.Node.MonitorAsync(crasher);

        crasher.Explode("out of cheese");

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("System.InvalidOperationException", down.ErrorType);
        Assert.Equal("out of cheese", down.ErrorMessage);
        Assert.Contains($"stopping {crasher.Id}", test.Get<Journal>().Entries);
        var entry = Assert.Single(test.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("Explode threw", entry.Message);
        Assert.Equal("out of cheese", entry.Exception?.Message);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => crasher.PingAsync().AsTask());
    }

    [Fact]
    public async Task A_crashing_call_fails_for_its_caller_with_the_exception_and_then_the_process_is_stopped()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        await using var monitor = await test.Node.MonitorAsync(crasher);

        await Assert.ThrowsAsync<DivideByZeroException>(() => crasher.DivideAsync(0).AsTask());

        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("System.DivideByZeroException", down.ErrorType);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => crasher.DivideAsync(2).AsTask());
    }

    [Fact]
    public async Task Messages_queued_behind_the_crash_fail_with_ProcessStoppedException()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        crasher.ExplodeAtTheGate("later");
        await test.Get<Gate>().Reached.WithDeadline();

        var queued = crasher.PingAsync().AsTask(); // waits in the mailbox while the cast is at the gate
        test.Get<Gate>().Open();

        await Assert.ThrowsAsync<ProcessStoppedException>(() => queued.WithDeadline());
    }

    [Fact]
    public async Task What_a_crashing_handler_asked_for_is_not_done()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        await using var monitor = await test.Node.MonitorAsync(crasher);

        await Assert.ThrowsAsync<InvalidOperationException>(() => crasher.RegisterThenExplodeAsync("doomed").AsTask());

        Assert.Equal("after registering", (await monitor.Down.WithDeadline()).ErrorMessage);
        Assert.Null(await test.Node.WhereIsAsync<Crasher>("doomed"));
    }

    [Fact]
    public async Task A_crash_stops_a_linked_process_that_does_not_trap_exits_and_a_trapping_one_gets_OnExit()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        var partner = await test.Node.SpawnAsync<Sentinel>();
        var trapper = await test.Node.SpawnAsync<Trapper>();
        await crasher.LinkToAsync(partner);
        await crasher.LinkToTrapperAsync(trapper);
        await using var partnerDown = await test.Node.MonitorAsync(partner);

        crasher.Explode("meltdown");

        var down = await partnerDown.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Contains($"linked process {crasher}", down.ErrorMessage);
        Assert.Contains("meltdown", down.ErrorMessage);
        await Wait.UntilAsync(async () => (await trapper.ExitsAsync()).Count == 1, "the trapper got the exit signal");
        Assert.Equal([$"{crasher.Id}:Exception:meltdown"], await trapper.ExitsAsync());
    }

    [Fact]
    public async Task A_crash_on_another_node_reaches_a_node_side_monitor_and_a_calling_node()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var crasher = await cluster[1].Node.SpawnAsync<Crasher>();
        await using var monitor = await cluster[0].Node.MonitorAsync(crasher);
        var fromA = (await cluster[0].Node.WhereIsAsync<Crasher>(await RegisteredAsync(crasher)))!;

        var remote = await Assert.ThrowsAsync<RemoteProcessException>(() => fromA.DivideAsync(0).AsTask());

        Assert.Equal("System.DivideByZeroException", remote.RemoteType);
        var down = await monitor.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("System.DivideByZeroException", down.ErrorType);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => fromA.PingAsync().AsTask());
    }

    [Fact]
    public async Task An_exception_escaping_OnDown_stops_the_process()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        var watched = await test.Node.SpawnAsync<Sentinel>();
        await crasher.WatchAsync(watched);
        await using var crasherDown = await test.Node.MonitorAsync(crasher);

        await watched.StopAsync();

        var down = await crasherDown.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal($"cannot live without {watched.Id}", down.ErrorMessage);
    }

    [Fact]
    public async Task An_exception_escaping_a_state_enter_callback_fails_the_call_and_stops_the_state_machine()
    {
        await using var test = await TestNode.StartAsync();
        var fuse = await test.Node.SpawnAsync<Fuse>();
        await using var monitor = await test.Node.MonitorAsync(fuse);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => fuse.OverloadAsync().AsTask());

        Assert.Equal("fuse blown", exception.Message);
        Assert.Equal("fuse blown", (await monitor.Down.WithDeadline()).ErrorMessage);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => fuse.StatusAsync().AsTask());
    }

    [Fact]
    public async Task A_call_whose_caller_gave_up_does_not_crash_the_process()
    {
        await using var test = await TestNode.StartAsync();
        var crasher = await test.Node.SpawnAsync<Crasher>();
        using var impatient = new CancellationTokenSource();

        var waiting = crasher.WaitAtTheGateAsync(impatient.Token).AsTask();
        await test.Get<Gate>().Reached.WithDeadline(); // the handler runs, and honours the caller's token
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WithDeadline());
        Assert.Equal(1, await crasher.PingAsync());
    }

    [Fact]
    public async Task Without_the_option_a_throwing_handler_does_not_stop_the_process()
    {
        await using var test = await TestNode.StartAsync();
        var faulty = await test.Node.SpawnAsync<Faulty>();
        await using var monitor = await test.Node.MonitorAsync(faulty);

        faulty.Explode("boom");
        await Assert.ThrowsAsync<DivideByZeroException>(() => faulty.DivideAsync(0).AsTask());

        Assert.Equal(2, await faulty.HandledAsync());
        Assert.False(monitor.Down.IsCompleted);
    }

    private static async Task<string> RegisteredAsync(ProcessRef<Crasher> crasher)
    {
        var name = $"crasher-{crasher.Id}";
        await crasher.RegisterAsync(name);
        return name;
    }
}
