using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class RollbackTests
{
    [Fact]
    public async Task A_destination_that_does_not_answer_in_time_rolls_the_move_back_and_a_later_move_succeeds()
    {
        await using var source = await StartAsync("a", TimeSpan.FromMilliseconds(300));
        await using var destination = await StartAsync("b", TimeSpan.FromMilliseconds(300), services => services.AddSingleton<ConstructionGate>());
        await destination.Node.ConnectAsync(source.Node.LocalEndPoint!);
        await Wait.UntilAsync(() => source.Node.Nodes.Contains("b"), "the source to know the destination"); // the join completes there asynchronously
        var parcel = await source.Node.SpawnAsync<Parcel>();
        await parcel.LoadAsync(41);

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => parcel.SendMeAsync(Destination.Node("b")));

        Assert.Equal(MigrationFailureReason.Timeout, exception.Reason);
        Assert.Equal(42, await parcel.LoadAsync(1)); // still at the source, with its state
        destination.Get<ConstructionGate>().Open();
        await parcel.SendMeAsync(Destination.Node("b"));
        Assert.Equal(43, await parcel.LoadAsync(1)); // one live copy, at the destination, with the source's state
    }

    [Fact]
    public async Task A_destination_that_goes_down_during_the_move_rolls_it_back()
    {
        await using var source = await StartAsync("a", TimeSpan.FromSeconds(10));
        await using var destination = await StartAsync("b", TimeSpan.FromSeconds(10), services => services.AddSingleton<ConstructionGate>());
        await destination.Node.ConnectAsync(source.Node.LocalEndPoint!);
        var parcel = await source.Node.SpawnAsync<Parcel>();
        await parcel.LoadAsync(7);

        var move = parcel.SendMeAsync(Destination.Node("b"));
        await destination.Get<ConstructionGate>().Reached.WithDeadline();
        var stopping = destination.Node.StopAsync(new CancellationToken(canceled: true));

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => move.WithDeadline());
        Assert.Equal(MigrationFailureReason.Unreachable, exception.Reason);
        Assert.Equal(8, await parcel.LoadAsync(1));
        destination.Get<ConstructionGate>().Open();
        await stopping.WithDeadline();
    }

    private static Task<TestNode> StartAsync(string name, TimeSpan migrationTimeout, Action<IServiceCollection>? services = null) =>
        TestNode.StartAsync(
            options =>
            {
                options.NodeName = name;
                options.Cookie = TestCluster.Cookie;
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                options.MigrationTimeout = migrationTimeout;
            },
            services);
}
