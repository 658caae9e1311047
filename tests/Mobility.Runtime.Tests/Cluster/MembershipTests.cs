using System.Net;
using Microsoft.Extensions.Logging;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class MembershipTests
{
    [Fact]
    public async Task Nodes_that_join_one_member_learn_the_whole_cluster()
    {
        await using var cluster = await TestCluster.StartAsync(3);

        Assert.Equal(["b", "c"], cluster[0].Node.Nodes);
        Assert.Equal(["a", "c"], cluster[1].Node.Nodes);
        Assert.Equal(["a", "b"], cluster[2].Node.Nodes);
    }

    [Fact]
    public async Task A_node_with_the_wrong_cookie_is_refused_and_both_sides_log_why()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        await using var intruder = await TestNode.StartAsync(options =>
        {
            options.NodeName = "intruder";
            options.Cookie = "not-the-cookie";
        });

        await Assert.ThrowsAnyAsync<IOException>(() => intruder.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));

        Assert.Empty(cluster[0].Node.Nodes);
        await Wait.UntilAsync(() => cluster[0].Logs.Entries.Any(entry => entry.Level >= LogLevel.Warning && entry.Message.Contains("WrongCookie")), "the listener logged the wrong cookie");
        Assert.Contains(intruder.Logs.Entries, entry => entry.Level >= LogLevel.Warning && entry.Message.Contains("WrongCookie"));
    }

    [Fact]
    public async Task A_second_node_with_a_taken_name_is_refused()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var impostor = await TestNode.StartAsync(options =>
        {
            options.NodeName = "b";
            options.Cookie = TestCluster.Cookie;
        });

        var exception = await Assert.ThrowsAnyAsync<IOException>(() => impostor.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));

        Assert.Contains("already a member", exception.Message);
        Assert.Equal(["b"], cluster[0].Node.Nodes);
    }

    [Fact]
    public async Task A_node_that_stops_is_reported_down_by_the_others()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var down = new List<string>();
        cluster[0].Node.NodeDown += (_, args) => { lock (down) { down.Add(args.NodeName); } };

        await cluster[2].Node.StopAsync();

        await Wait.UntilAsync(() => cluster[0].Node.Nodes.SequenceEqual(["b"]) && cluster[1].Node.Nodes.SequenceEqual(["a"]), "c is gone from a and b");
        await Wait.UntilAsync(() => { lock (down) { return down.Count > 0; } }, "a raised NodeDown"); // raised after the member list changes
        lock (down)
        {
            Assert.Equal(["c"], down);
        }
    }

    [Fact]
    public async Task Seeds_join_the_cluster_at_start()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var late = await TestNode.StartAsync(options =>
        {
            options.NodeName = "late";
            options.Cookie = TestCluster.Cookie;
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
            options.Seeds.Add(cluster[1].Node.LocalEndPoint!);
        });

        await Wait.UntilAsync(() => late.Node.Nodes.Count == 2 && cluster[0].Node.Nodes.Contains("late"), "the late node sees everybody");
    }
}
