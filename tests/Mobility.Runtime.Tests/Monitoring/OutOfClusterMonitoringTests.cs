using System.Net;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

public sealed class OutOfClusterMonitoringTests
{
    private const string Secret = "shared-between-clusters";

    [Fact]
    public async Task Watchers_in_the_home_cluster_get_the_Down_of_a_process_that_stopped_in_another_cluster()
    {
        await using var home = await TestCluster.StartAsync(2, options => options.MigrationSecret = Secret);
        await using var away = await TestNode.StartAsync(options =>
        {
            options.NodeName = "x";
            options.Cookie = "another-cluster";
            options.MigrationSecret = Secret;
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
        });
        var watcher = await home[0].Node.SpawnAsync<Sentinel>();
        var target = await home[0].Node.SpawnAsync<Sentinel>();
        await watcher.WatchAsync(target);
        await using var monitorOnB = await home[1].Node.MonitorAsync(target); // news for b crosses the link to a, which passes it on

        await target.SendMeAsync(Destination.Tcp("127.0.0.1", away.Node.LocalEndPoint!.Port));
        Assert.Equal(1, await target.PingAsync());
        await target.FailAsync("far from home");

        await Wait.UntilAsync(async () => (await watcher.DownsAsync()).Count == 1, "the watcher at home got its Down");
        Assert.Equal([$"{target.Id}:Exception:far from home"], await watcher.DownsAsync());
        Assert.Equal("far from home", (await monitorOnB.Down.WithDeadline()).ErrorMessage);
    }
}
