using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

public sealed class LinkTests
{
    [Fact]
    public async Task An_abnormal_exit_stops_the_linked_process_and_propagates_along_a_chain()
    {
        await using var test = await TestNode.StartAsync();
        var first = await test.Node.SpawnAsync<Sentinel>();
        var second = await test.Node.SpawnAsync<Sentinel>();
        var third = await test.Node.SpawnAsync<Sentinel>();
        await first.LinkToAsync(second);
        await second.LinkToAsync(third);
        await using var secondDown = await second.MonitorAsync();
        await using var thirdDown = await third.MonitorAsync();

        await first.FailAsync("first failed");

        var down = await thirdDown.Down.WithDeadline();
        Assert.Equal(ExitReason.Exception, down.Reason);
        Assert.Equal("System.InvalidOperationException", down.ErrorType);
        Assert.Contains("first failed", down.ErrorMessage);
        Assert.Contains($"linked process {second}", down.ErrorMessage);
        Assert.Contains($"linked process {first}", (await secondDown.Down.WithDeadline()).ErrorMessage);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => third.PingAsync().AsTask());
    }

    [Fact]
    public async Task A_normal_exit_does_not_stop_a_linked_process()
    {
        await using var test = await TestNode.StartAsync();
        var quitter = await test.Node.SpawnAsync<Sentinel>();
        var partner = await test.Node.SpawnAsync<Sentinel>();
        await quitter.LinkToAsync(partner);
        await using var quitterDown = await quitter.MonitorAsync();

        await quitter.QuitAsync();
        await quitterDown.Down.WithDeadline();

        // A process's exit signals leave before its Downs: this call, sent from the same node after the Down, comes after it.
        Assert.Equal(1, await partner.PingAsync());
    }

    [Fact]
    public async Task A_trapping_process_gets_OnExit_instead_of_stopping()
    {
        await using var test = await TestNode.StartAsync();
        var trapper = await test.Node.SpawnAsync<Trapper>();
        var failing = await test.Node.SpawnAsync<Sentinel>();
        var quitting = await test.Node.SpawnAsync<Sentinel>();
        await trapper.LinkToAsync(failing);
        await quitting.LinkToTrapperAsync(trapper);

        await failing.FailAsync("crash");
        await quitting.QuitAsync();

        await Wait.UntilAsync(async () => (await trapper.ExitsAsync()).Count == 2, "the trapper got both exit signals");
        var exits = await trapper.ExitsAsync();
        Assert.Contains($"{failing.Id}:Exception:crash", exits);
        Assert.Contains($"{quitting.Id}:Normal:", exits);
    }

    [Fact]
    public async Task After_Unlink_a_failure_no_longer_stops_the_other()
    {
        await using var test = await TestNode.StartAsync();
        var failing = await test.Node.SpawnAsync<Sentinel>();
        var partner = await test.Node.SpawnAsync<Sentinel>();
        await failing.LinkToAsync(partner);
        await partner.UnlinkFromAsync(failing);
        await using var failingDown = await failing.MonitorAsync();

        await failing.FailAsync("alone");
        await failingDown.Down.WithDeadline();

        Assert.Equal(1, await partner.PingAsync()); // after any exit signal (they leave before the Down)
    }

    [Fact]
    public async Task Linking_to_a_stopped_process_stops_a_non_trapping_process_with_NoProcess()
    {
        await using var test = await TestNode.StartAsync();
        var gone = await test.Node.SpawnAsync<Sentinel>();
        await gone.StopAsync();
        var linker = await test.Node.SpawnAsync<Sentinel>();
        await using var linkerDown = await linker.MonitorAsync();

        await linker.LinkToAsync(gone);

        Assert.Equal(ExitReason.NoProcess, (await linkerDown.Down.WithDeadline()).Reason);
    }

    [Fact]
    public async Task A_linked_process_on_a_node_that_goes_down_stops_its_partner_with_NoConnection()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var partner = await cluster[0].Node.SpawnAsync<Sentinel>();
        var trapper = await cluster[0].Node.SpawnAsync<Trapper>();
        var remote = await cluster[1].Node.SpawnAsync<Sentinel>();
        await partner.LinkToAsync(remote);
        await trapper.LinkToAsync(remote);
        await using var partnerDown = await partner.MonitorAsync();
        _ = remote.WaitForeverAsync(); // busy: b's impatient stop abandons it
        await cluster[1].Get<Gate>().Reached.WithDeadline();

        using var impatient = new CancellationTokenSource();
        await impatient.CancelAsync();
        await cluster[1].Node.StopAsync(impatient.Token);

        Assert.Equal(ExitReason.NoConnection, (await partnerDown.Down.WithDeadline()).Reason);
        await Wait.UntilAsync(async () => (await trapper.ExitsAsync()).Count == 1, "the trapper got the exit signal");
        Assert.Equal([$"{remote.Id}:NoConnection:node 'b' went down"], await trapper.ExitsAsync());
    }
}
