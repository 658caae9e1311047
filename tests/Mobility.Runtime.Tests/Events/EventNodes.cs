using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Mobility.Tests.Support;

namespace Mobility.Tests.Events;

/// <summary>Nodes whose services know the event manager of <see cref="DoorEvent"/> and the test handlers.</summary>
internal static class EventNodes
{
    public static void Register(IServiceCollection services) => services
        .AddEventManager<DoorEvent>()
        .AddEventHandler<RecordingHandler>()
        .AddEventHandler<CountingHandler>()
        .AddEventHandler<SummingHandler>()
        .AddEventHandler<FailingHandler>()
        .AddEventHandler<RefusingHandler>()
        .AddEventHandler<GatedHandler>()
        .AddEventHandler<OneShotHandler>();

    public static Task<TestNode> StartAsync() => TestNode.StartAsync(services: Register);

    /// <summary>Nodes "a", "b"... in one cluster over loopback; <see cref="LocalOnlyHandler"/> is registered on "a" only.</summary>
    public static async Task<TestCluster> StartClusterAsync(int count)
    {
        var nodes = new List<TestNode>();
        for (var i = 0; i < count; i++)
        {
            var name = ((char)('a' + i)).ToString();
            nodes.Add(await TestNode.StartAsync(
                options =>
                {
                    options.NodeName = name;
                    options.Cookie = TestCluster.Cookie;
                    options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                },
                services =>
                {
                    Register(services);
                    if (name == "a")
                    {
                        services.AddEventHandler<LocalOnlyHandler>();
                    }
                }));
        }

        for (var i = 1; i < count; i++)
        {
            await nodes[i].Node.ConnectAsync(nodes[0].Node.LocalEndPoint!);
        }

        var cluster = TestCluster.Of(nodes);
        await cluster.WaitForFullMeshAsync();
        return cluster;
    }
}
