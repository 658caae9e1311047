using System.Net;
using Microsoft.Extensions.Logging;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class TlsTests
{
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 Shared = TestCertificates.Create("mobility-test");

    [Fact]
    public async Task Nodes_with_TLS_form_a_cluster_and_move_processes_over_it()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.Tls = TestCertificates.Pinned(Shared, requireClientCertificate: true, Shared));
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(4);

        await counter.SendMeAsync(Destination.Node("b"));

        Assert.Equal(5, await counter.IncrementAsync(1));
        Assert.Contains("arrived from a", cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_state_of_several_megabytes_moves_over_TLS_intact()
    {
        await using var cluster = await TestCluster.StartAsync(2, options => options.Tls = TestCertificates.Pinned(Shared, requireClientCertificate: true, Shared));
        var archive = await cluster[0].Node.SpawnAsync<Archive>();
        await archive.FillAsync(2 * 1024 * 1024 + 3);
        var before = await archive.DescribeAsync();

        await archive.SendMeAsync(Destination.Node("b"));

        Assert.Equal(before, await archive.DescribeAsync());
    }

    [Fact]
    public async Task A_node_without_TLS_cannot_join_a_TLS_node_which_keeps_serving()
    {
        await using var cluster = await TestCluster.StartAsync(1, options => options.Tls = TestCertificates.Pinned(Shared, trusted: Shared));
        await using var plain = await TestNode.StartAsync(options =>
        {
            options.NodeName = "plain";
            options.Cookie = TestCluster.Cookie;
            options.CallTimeout = TimeSpan.FromSeconds(2);
        });

        await Assert.ThrowsAnyAsync<IOException>(() => plain.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));

        await Wait.UntilAsync(() => cluster[0].Logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("TLS")), "the TLS node logged why");
        await using var good = await TestNode.StartAsync(options =>
        {
            options.NodeName = "good";
            options.Cookie = TestCluster.Cookie;
            options.Tls = TestCertificates.Pinned(Shared, trusted: Shared);
        });
        Assert.Equal("a", await good.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused_either_way()
    {
        var stranger = TestCertificates.Create("stranger");
        await using var cluster = await TestCluster.StartAsync(1, options => options.Tls = TestCertificates.Pinned(Shared, requireClientCertificate: true, Shared));
        await using var impostor = await TestNode.StartAsync(options =>
        {
            options.NodeName = "impostor";
            options.Cookie = TestCluster.Cookie;
            options.Tls = TestCertificates.Pinned(stranger, trusted: Shared); // trusts the server, but is not trusted by it
        });

        await Assert.ThrowsAnyAsync<IOException>(() => impostor.Node.ConnectAsync(cluster[0].Node.LocalEndPoint!));

        // (With TLS 1.3 the client learns only that the server closed; the server logs the TLS reason.)
        await Wait.UntilAsync(() => cluster[0].Logs.Entries.Any(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("TLS")), "the server logged why");
        Assert.Empty(cluster[0].Node.Nodes);
    }

    [Fact]
    public async Task A_process_moves_to_another_cluster_over_TLS()
    {
        await using var home = await TestCluster.StartAsync(1, options =>
        {
            options.MigrationSecret = "secret";
            options.Tls = TestCertificates.Pinned(Shared, trusted: Shared);
        });
        await using var away = await TestNode.StartAsync(options =>
        {
            options.NodeName = "x";
            options.Cookie = "another-cluster";
            options.MigrationSecret = "secret";
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
            options.Tls = TestCertificates.Pinned(Shared, trusted: Shared);
        });
        var counter = await home[0].Node.SpawnAsync<Counter>();

        await counter.SendMeAsync(Destination.Tcp("localhost", away.Node.LocalEndPoint!.Port));

        Assert.Equal(1, await counter.IncrementAsync(1));
        Assert.Contains(away.Get<Journal>().Entries, entry => entry.StartsWith("arrived", StringComparison.Ordinal));
    }
}
