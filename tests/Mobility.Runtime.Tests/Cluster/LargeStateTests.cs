using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

/// <summary>A process's state travels in the offer's frame, written straight from the process into it.</summary>
public sealed class LargeStateTests
{
    [Fact]
    public async Task A_state_of_several_megabytes_arrives_intact_there_and_back()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var archive = await cluster[0].Node.SpawnAsync<Archive>();
        await archive.FillAsync(3 * 1024 * 1024 + 7);
        var before = await archive.DescribeAsync();

        await archive.SendMeAsync(Destination.Node("b"));
        Assert.Equal(before, await archive.DescribeAsync());
        await archive.SendMeAsync(Destination.Node("a"));

        Assert.Equal(before, await archive.DescribeAsync());
        Assert.Equal(3 * 1024 * 1024 + 7, before.Length);
    }

    [Fact]
    public async Task A_node_the_process_moved_on_from_keeps_no_hold_on_the_copy_that_lived_there()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.MigrationTimeout = TimeSpan.FromSeconds(30));
        var visitor = await cluster[0].Node.SpawnAsync<Visitor>();

        await visitor.SendMeAsync(Destination.Node("b"));
        await visitor.SendMeAsync(Destination.Node("a"));
        Assert.Equal(64 * 1024, await visitor.LuggageAsync());

        // Its state can be collected long before the 90 s after which an offer that was never committed is dropped.
        var leftB = Visitor.CopiesOf(visitor.Id)[0];
        await Wait.UntilAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !leftB.IsAlive;
            },
            "the copy that left node b to be collected");
    }

    [Fact]
    public async Task A_state_larger_than_the_frame_limit_is_refused_before_anything_is_sent_and_the_process_stays()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.MaxFrameSize = 1024 * 1024);
        var archive = await cluster[0].Node.SpawnAsync<Archive>();
        await archive.FillAsync(2 * 1024 * 1024);
        var before = await archive.DescribeAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => archive.SendMeAsync(Destination.Node("b")));

        Assert.Equal(MigrationFailureReason.NotSupported, failure.Reason);
        Assert.Contains("maximum frame size", failure.Message);
        Assert.Equal(before, await archive.DescribeAsync()); // still running at the source, state untouched
        await archive.FillAsync(1000);
        await archive.SendMeAsync(Destination.Node("b")); // a state that fits moves
        Assert.Equal(1000, (await archive.DescribeAsync()).Length);
    }
}
