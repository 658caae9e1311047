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
