using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class RemoteCallTests
{
    [Fact]
    public async Task A_registered_name_resolves_from_every_node_and_calls_cross_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("shared");

        foreach (var node in cluster.Nodes)
        {
            var found = (await node.Node.WhereIsAsync<Counter>("shared"))!;
            Assert.Equal(counter, found);
            await found.IncrementAsync(1);
            found.Reset(); // casts cross too, in order with the calls
            await found.IncrementAsync(10);
        }

        Assert.Equal("counter: 10 [+1 reset +10 +1 reset +10 +1 reset +10]", await counter.DescribeAsync());
    }

    [Fact]
    public async Task Arguments_and_results_cross_in_their_frames_intact_whatever_their_size()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("framed");
        var remote = (await cluster[1].Node.WhereIsAsync<Counter>("framed"))!;
        var label = string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)('a' + i % 26))); // spans several receive segments

        await remote.RenameAsync(label);
        Assert.Equal(-3, await remote.IncrementAsync(-3));

        Assert.Equal($"{label}: -3 [+-3]", await remote.DescribeAsync());
    }

    [Fact]
    public async Task A_message_forwarded_by_a_node_its_process_left_keeps_its_arguments()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("forwarded");
        var fromC = (await cluster[2].Node.WhereIsAsync<Counter>("forwarded"))!;
        await counter.SendMeAsync(Destination.Node("b"));

        await fromC.RenameAsync("moved on"); // c still believes a hosts it: a forwards, after its frame is gone
        Assert.Equal(41, await fromC.IncrementAsync(41));

        Assert.Equal("moved on: 41 [+41]", await counter.DescribeAsync());
    }

    [Fact]
    public async Task An_argument_too_large_for_a_frame_fails_its_call_and_the_next_message_is_not_held_back()
    {
        await using var cluster = await TestCluster.StartAsync(2, options =>
        {
            options.MaxFrameSize = 64 * 1024;
            options.CallTimeout = TimeSpan.FromSeconds(3); // shorter than the gap a lost number would leave (10 s)
        });
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("small-frames");
        var remote = (await cluster[1].Node.WhereIsAsync<Counter>("small-frames"))!;
        await remote.IncrementAsync(1);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => remote.RenameAsync(new string('x', 100_000)).AsTask());

        Assert.Contains("maximum frame size", failure.Message);
        Assert.Equal(3, await remote.IncrementAsync(2)); // the number it took was given back: nothing waits for it
    }

    [Fact]
    public async Task A_remote_handler_exception_reaches_the_caller_as_RemoteProcessException()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var faulty = await cluster[0].Node.SpawnAsync<Faulty>();
        await faulty.RegisterAsync("faulty");
        var remote = (await cluster[1].Node.WhereIsAsync<Faulty>("faulty"))!;

        var exception = await Assert.ThrowsAsync<RemoteProcessException>(() => remote.DivideAsync(0).AsTask());

        Assert.Equal(typeof(DivideByZeroException).FullName, exception.RemoteType);
        Assert.Equal(25, await remote.DivideAsync(4));
    }

    [Fact]
    public async Task A_name_taken_on_one_node_cannot_be_registered_from_another()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var first = await cluster[0].Node.SpawnAsync<Counter>();
        var second = await cluster[2].Node.SpawnAsync<Counter>();
        await first.RegisterAsync("unique");

        var exception = await Assert.ThrowsAsync<NameAlreadyRegisteredException>(() => second.RegisterAsync("unique"));

        Assert.Equal(first.Id, exception.Holder);
    }

    [Fact]
    public async Task Calls_to_a_process_that_stopped_on_another_node_throw_ProcessStoppedException()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("short-lived");
        var remote = (await cluster[1].Node.WhereIsAsync<Counter>("short-lived"))!;

        await remote.StopAsync();

        await Assert.ThrowsAsync<ProcessStoppedException>(() => remote.IncrementAsync(1).AsTask());
        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
        Assert.Null(await cluster[1].Node.WhereIsAsync<Counter>("short-lived"));
    }

    [Fact]
    public async Task Calls_to_a_process_on_a_node_that_went_down_fail_instead_of_hanging()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.CallTimeout = TimeSpan.FromSeconds(30));
        var recorder = await cluster[1].Node.SpawnAsync<Recorder>();
        await recorder.RegisterAsync("doomed");
        var remote = (await cluster[0].Node.WhereIsAsync<Recorder>("doomed"))!;
        var waiting = remote.WaitAtGateAsync("never").AsTask();
        await cluster[1].Get<Gate>().Reached.WithDeadline();

        await cluster[1].Node.StopAsync(new CancellationToken(canceled: true)); // gives up on its stuck process and leaves

        var exception = await Assert.ThrowsAsync<ProcessStoppedException>(() => waiting.WithDeadline());
        Assert.Contains("'b' went down", exception.Message);
        Assert.Equal(ProcessStopReason.NodeLost, exception.Reason); // the call may have run: its outcome is not "did not happen"
        cluster[1].Get<Gate>().Open();
    }
}
