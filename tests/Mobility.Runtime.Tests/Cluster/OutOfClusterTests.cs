using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mobility.Processes;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class OutOfClusterTests
{
    private const string Secret = "shared-between-clusters";

    [Fact]
    public async Task A_process_moves_to_another_cluster_and_back_and_references_in_its_home_cluster_keep_working()
    {
        await using var home = await TestCluster.StartAsync(2, options => options.MigrationSecret = Secret);
        await using var away = await StartOtherClusterAsync("x");
        var counter = await home[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("wanderer");
        await counter.IncrementAsync(10);
        var fromB = (await home[1].Node.WhereIsAsync<Counter>("wanderer"))!;

        await counter.SendMeAsync(Tcp(away));

        Assert.Equal(11, await counter.IncrementAsync(1)); // call from the origin, answered in the other cluster
        Assert.Equal(12, await fromB.IncrementAsync(1));   // call from another node of the home cluster, relayed
        fromB.Reset();                                      // casts stay casts across the link
        Assert.Equal(1, await fromB.IncrementAsync(1));
        Assert.Contains(away.Get<Journal>().Entries, entry => entry.StartsWith("arrived from a", StringComparison.Ordinal));
        Assert.Equal(counter, await home[1].Node.WhereIsAsync<Counter>("wanderer"));
        await counter.ClaimAsync("known-in-x"); // a name in its new cluster
        Assert.Equal(counter, await away.Node.WhereIsAsync<Counter>("known-in-x"));

        await counter.SendMeAsync(Destination.Tcp("127.0.0.1", home[0].Node.LocalEndPoint!.Port)); // back home

        Assert.Equal(2, await fromB.IncrementAsync(1));
        Assert.Equal("counter: 2 [+10 +1 +1 reset +1 +1]", await counter.DescribeAsync());
        Assert.Equal(2, home[0].Get<Journal>().Entries.Count(entry => entry.StartsWith("leaving", StringComparison.Ordinal)) +
            away.Get<Journal>().Entries.Count(entry => entry.StartsWith("leaving", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task When_the_process_stops_in_the_other_cluster_its_home_forgets_it_and_callers_get_ProcessStoppedException()
    {
        await using var home = await TestCluster.StartAsync(2, options => options.MigrationSecret = Secret);
        await using var away = await StartOtherClusterAsync("x");
        var counter = await home[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("mortal");
        var fromB = (await home[1].Node.WhereIsAsync<Counter>("mortal"))!;
        await counter.SendMeAsync(Tcp(away));

        await fromB.QuitAsync();

        await Wait.UntilAsync(async () => await home[1].Node.WhereIsAsync<Counter>("mortal") is null, "the home cluster released the name");
        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
        await Assert.ThrowsAsync<ProcessStoppedException>(() => fromB.IncrementAsync(1).AsTask());
    }

    [Fact]
    public async Task A_process_moving_onward_to_a_third_cluster_is_reached_directly_from_its_home()
    {
        await using var home = await TestCluster.StartAsync(2, options => options.MigrationSecret = Secret);
        await using var first = await StartOtherClusterAsync("x");
        await using var second = await StartOtherClusterAsync("y");
        var counter = await home[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("nomad");
        var fromB = (await home[1].Node.WhereIsAsync<Counter>("nomad"))!;
        await counter.SendMeAsync(Tcp(first));

        // Asked from home, performed by the process in cluster x; x tells home where it went (on the same link,
        // before the reply), so home needs no chain through x afterwards.
        await counter.SendMeAsync(Tcp(second));
        Assert.Equal(1, await fromB.IncrementAsync(1));
        await first.Node.StopAsync();

        Assert.Equal(2, await fromB.IncrementAsync(1));
        Assert.Contains(second.Get<Journal>().Entries, entry => entry.StartsWith("arrived from x", StringComparison.Ordinal));

        await fromB.QuitAsync(); // it stops in y: the news travels back to its home cluster
        await Wait.UntilAsync(async () => await home[1].Node.WhereIsAsync<Counter>("nomad") is null, "home released the name");
        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
    }

    [Fact]
    public async Task Messages_sent_while_the_link_is_down_are_held_and_delivered_when_it_is_back()
    {
        await using var home = await TestCluster.StartAsync(2, options => options.MigrationSecret = Secret);
        await using var flaky = await StartOtherClusterAsync("x", configure: options =>
        {
            // x drops any link silent for 150 ms; home's heartbeats come every second, so the link keeps dropping.
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
            options.FailureDetectionTimeout = TimeSpan.FromMilliseconds(150);
        });
        var counter = await home[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("through-the-storm");
        var fromB = (await home[1].Node.WhereIsAsync<Counter>("through-the-storm"))!;
        await counter.SendMeAsync(Tcp(flaky));

        for (var round = 1; round <= 5; round++)
        {
            // Wait until x has dropped the link once more, then send through it: the messages wait for home to
            // dial the link again. Reset is a cast, Increment a call, both from node b, relayed by node a.
            await Wait.UntilAsync(() => Drops(flaky) >= round, $"link drop #{round}");
            fromB.Reset();
            Assert.Equal(1, await fromB.IncrementAsync(1));
        }

        Assert.StartsWith("counter: 1 [", await counter.DescribeAsync(), StringComparison.Ordinal);
    }

    private static int Drops(TestNode node) => node.Logs.Entries.Count(entry => entry.Message.Contains("sent nothing"));

    [Fact]
    public async Task Messages_for_a_process_behind_a_link_that_stays_down_fail_with_ProcessUnreachableException()
    {
        await using var home = await TestCluster.StartAsync(2, options =>
        {
            options.MigrationSecret = Secret;
            options.LinkRetryTimeout = TimeSpan.FromMilliseconds(500);
        });
        await using var away = await StartOtherClusterAsync("x");
        var recorder = await home[0].Node.SpawnAsync<Recorder>();
        await recorder.RegisterAsync("cut-off");
        var fromB = (await home[1].Node.WhereIsAsync<Recorder>("cut-off"))!;
        await recorder.SendMeAsync(Tcp(away));
        var busy = recorder.WithCallTimeout(TimeSpan.FromSeconds(30)).WaitAtGateAsync("busy").AsTask();
        await away.Get<Gate>().Reached.WithDeadline();

        // x vanishes without stopping the process (it is busy): its link is gone and cannot be dialled again.
        await away.Node.StopAsync(new CancellationToken(canceled: true));

        await Assert.ThrowsAsync<ProcessUnreachableException>(() => busy.WithDeadline());
        await Assert.ThrowsAsync<ProcessUnreachableException>(() => recorder.SeenAsync().AsTask());
        await Assert.ThrowsAsync<ProcessUnreachableException>(() => fromB.SeenAsync().AsTask());
        away.Get<Gate>().Open();
    }

    [Fact]
    public async Task A_closed_port_or_an_unknown_host_rolls_back_with_Unreachable_and_a_later_move_succeeds()
    {
        await using var home = await TestCluster.StartAsync(1, options => options.MigrationSecret = Secret);
        await using var away = await StartOtherClusterAsync("x");
        var counter = await home[0].Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);

        var closed = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Tcp("127.0.0.1", ClosedPort())));
        var unknown = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Tcp("no-such-host.invalid", 1806)));

        Assert.Equal(MigrationFailureReason.Unreachable, closed.Reason);
        Assert.Equal(MigrationFailureReason.Unreachable, unknown.Reason);
        Assert.Equal(6, await counter.IncrementAsync(1));
        await counter.SendMeAsync(Tcp(away));
        Assert.Equal(7, await counter.IncrementAsync(1));
    }

    [Fact]
    public async Task A_wrong_secret_or_a_server_without_one_refuses_the_process_which_stays_home()
    {
        await using var home = await TestCluster.StartAsync(1, options => options.MigrationSecret = Secret);
        await using var wrongSecret = await StartOtherClusterAsync("x", secret: "another-secret");
        await using var noServer = await StartOtherClusterAsync("y", secret: null);
        var counter = await home[0].Node.SpawnAsync<Counter>();

        var wrong = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Tcp(wrongSecret)));
        var refused = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Tcp(noServer)));

        Assert.Equal(MigrationFailureReason.Refused, wrong.Reason);
        Assert.Equal(MigrationFailureReason.Refused, refused.Reason);
        Assert.Contains("no migration secret", refused.Message);
        Assert.Equal(1, await counter.IncrementAsync(1));
    }

    [Fact]
    public async Task Each_remote_can_have_its_own_secret()
    {
        await using var away = await StartOtherClusterAsync("x", secret: null, configure: options => options.RemoteSecrets["a"] = "only-between-a-and-x");
        var port = away.Node.LocalEndPoint!.Port;
        await using var home = await TestCluster.StartAsync(1, options =>
        {
            options.MigrationSecret = "for-everybody-else";
            options.RemoteSecrets[$"127.0.0.1:{port}"] = "only-between-a-and-x";
        });
        await using var impostor = await TestNode.StartAsync(options =>
        {
            options.NodeName = "a-impostor";
            options.MigrationSecret = "for-everybody-else";
        });
        var counter = await home[0].Node.SpawnAsync<Counter>();
        var stranger = await impostor.Node.SpawnAsync<Counter>();

        await counter.SendMeAsync(Tcp(away));
        var refused = await Assert.ThrowsAsync<MigrationFailedException>(() => stranger.SendMeAsync(Tcp(away)));

        Assert.Equal(1, await counter.IncrementAsync(1));
        Assert.Equal(MigrationFailureReason.Refused, refused.Reason);
    }

    [Fact]
    public async Task A_server_that_does_not_know_the_process_type_refuses_it()
    {
        await using var home = await TestCluster.StartAsync(1, options => options.MigrationSecret = Secret);
        await using var stranger = await StartOtherClusterAsync("x", services: services => services.RemoveAll<ProcessType>());
        var counter = await home[0].Node.SpawnAsync<Counter>();

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Tcp(stranger)));

        Assert.Equal(MigrationFailureReason.Refused, exception.Reason);
        Assert.Contains("not registered", exception.Message);
        Assert.Equal(1, await counter.IncrementAsync(1));
    }

    private static Destination Tcp(TestNode node) => Destination.Tcp("127.0.0.1", node.Node.LocalEndPoint!.Port);

    /// <summary>A one-node cluster of its own, with its own cookie, running the mobility TCP server.</summary>
    private static Task<TestNode> StartOtherClusterAsync(
        string name,
        string? secret = Secret,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null,
        Action<MobilityOptions>? configure = null) =>
        TestNode.StartAsync(
            options =>
            {
                options.NodeName = name;
                options.Cookie = "another-cluster";
                options.MigrationSecret = secret;
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                configure?.Invoke(options);
            },
            services);

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port; // closed again when the listener is disposed
    }
}
