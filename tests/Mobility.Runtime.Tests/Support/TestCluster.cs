using System.Net;

namespace Mobility.Tests.Support;

/// <summary>Several real nodes in this test process, listening on loopback ephemeral ports, joined in one cluster.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public const string Cookie = "test-cookie";

    private TestCluster(IReadOnlyList<TestNode> nodes) => Nodes = nodes;

    public IReadOnlyList<TestNode> Nodes { get; }

    public TestNode this[int index] => Nodes[index];

    /// <summary>Starts nodes "a", "b", "c"... and waits until every node sees every other.</summary>
    public static async Task<TestCluster> StartAsync(int count, Action<MobilityOptions>? configure = null)
    {
        var nodes = new List<TestNode>();
        for (var i = 0; i < count; i++)
        {
            var name = ((char)('a' + i)).ToString();
            nodes.Add(await TestNode.StartAsync(options =>
            {
                options.NodeName = name;
                options.Cookie = Cookie;
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                configure?.Invoke(options);
            }));
        }

        var cluster = new TestCluster(nodes);
        for (var i = 1; i < count; i++)
        {
            await nodes[i].Node.ConnectAsync(nodes[0].Node.LocalEndPoint!);
        }

        await cluster.WaitForFullMeshAsync();
        return cluster;
    }

    public Task WaitForFullMeshAsync() =>
        Wait.UntilAsync(() => Nodes.All(node => node.Node.Nodes.Count == Nodes.Count - 1), $"all {Nodes.Count} nodes see each other");

    /// <summary>A cluster of nodes started and joined by the caller (with services of its own).</summary>
    public static TestCluster Of(IReadOnlyList<TestNode> nodes) => new(nodes);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
