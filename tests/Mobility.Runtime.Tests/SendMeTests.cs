using Microsoft.Extensions.Logging;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class SendMeTests
{
    [Fact]
    public async Task Moving_to_an_unknown_node_rolls_back_and_the_process_keeps_its_state()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(41);

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("b")));

        Assert.Equal(MigrationFailureReason.UnknownNode, exception.Reason);
        Assert.Contains("'b'", exception.Message);
        Assert.Equal(42, await counter.IncrementAsync(1));
    }

    [Fact]
    public async Task Moving_to_the_node_it_lives_on_is_refused()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("test")));

        Assert.Equal(MigrationFailureReason.AlreadyThere, exception.Reason);
    }

    [Fact]
    public async Task Moving_out_of_the_cluster_is_refused_with_its_reason()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Tcp("localhost", 1806)));

        Assert.Equal(MigrationFailureReason.NotSupported, exception.Reason);
        Assert.Equal(0, await counter.IncrementAsync(0));
    }

    [Fact]
    public async Task A_move_asked_from_inside_a_handler_is_performed_after_it_and_its_failure_fails_that_call()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(7);

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.LeaveAsync("elsewhere").AsTask());

        Assert.Equal(MigrationFailureReason.UnknownNode, exception.Reason);
        Assert.Equal(8, await counter.IncrementAsync(1));
        Assert.Contains(test.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("elsewhere") && entry.Message.Contains("rolled back"));
    }

    [Fact]
    public void Destinations_validate_their_arguments()
    {
        Assert.Throws<ArgumentException>(() => Destination.Node(" "));
        Assert.Throws<ArgumentOutOfRangeException>(() => Destination.Tcp("localhost", 0));
        Assert.Equal(Destination.Tcp("LOCALHOST", 1806), Destination.Tcp("localhost", 1806));
        Assert.NotEqual(Destination.Node("a"), Destination.Node("b"));
    }
}
