using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mobility.Example;

/// <summary>
/// The seed's quick start in one OS process: nodes <c>a</c> and <c>b</c> form a cluster, the example process
/// is spawned on <c>a</c>, moved to <c>b</c> and back, then out of the cluster over TCP to node <c>x</c> of
/// another cluster and back; callers on both nodes keep reaching it through the same references.
/// </summary>
internal static class TwoNodeDemo
{
    public static async Task RunAsync(TextWriter output)
    {
        await using var a = BuildNode("a");
        await using var b = BuildNode("b");
        var nodeA = a.GetRequiredService<MobilityNode>();
        var nodeB = b.GetRequiredService<MobilityNode>();
        await nodeA.StartAsync();
        await nodeB.StartAsync();
        await nodeB.ConnectAsync(nodeA.LocalEndPoint!);
        output.WriteLine($"nodes 'a' ({nodeA.LocalEndPoint}) and 'b' ({nodeB.LocalEndPoint}) form a cluster; a sees [{string.Join(", ", nodeA.Nodes)}]");

        var example = await nodeA.SpawnAsync<ExampleProcess>();
        await example.RegisterAsync("mobility_example");
        output.WriteLine($"spawned {example} on a, registered as 'mobility_example'");
        var fromB = (await nodeB.WhereIsAsync<ExampleProcess>("mobility_example"))!;

        await example.AddAsync(5);
        example.Note("hello from a");
        await fromB.AddAsync(10);
        await ShowAsync(output, "on a", example);

        await example.SendMeAsync(Destination.Node("b"));
        await example.AddAsync(1);
        await fromB.AddAsync(2);
        fromB.Note("hello from b");
        await ShowAsync(output, "moved to b", example);

        await fromB.MoveToAsync("a"); // the process moves itself, like the seed's send_me(hd(nodes()))
        await fromB.AddAsync(100);
        await ShowAsync(output, "moved back to a", example);

        try
        {
            await example.SendMeAsync(Destination.Node("c"));
        }
        catch (MigrationFailedException failure)
        {
            output.WriteLine($"send_me(c)       -> rolled back ({failure.Reason}); the process keeps running on a");
        }

        await ShowAsync(output, "still on a", example);

        // The seed's TCP quick start: a node of another cluster runs the mobility TCP server.
        await using var x = BuildNode("x", cookie: "another-cluster");
        var nodeX = x.GetRequiredService<MobilityNode>();
        await nodeX.StartAsync();
        output.WriteLine($"node 'x' ({nodeX.LocalEndPoint}) is a cluster of its own; it shares only a migration secret with a and b");
        await example.SendMeAsync(Destination.Tcp("127.0.0.1", nodeX.LocalEndPoint!.Port));
        await fromB.AddAsync(1000);
        await ShowAsync(output, "moved to x (TCP)", example);
        await example.SendMeAsync(Destination.Tcp("127.0.0.1", nodeA.LocalEndPoint!.Port));
        await ShowAsync(output, "back on a (TCP)", example);

        await example.StopAsync();
        output.WriteLine("stopped; calls through either reference now throw ProcessStoppedException");
    }

    private static async Task ShowAsync(TextWriter output, string stop, ProcessRef<ExampleProcess> example) =>
        output.WriteLine($"{stop,-17}-> {await example.StateAsync()}");

    private static ServiceProvider BuildNode(string name, string cookie = "mobility-example") =>
        new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Error))
            .AddMobility(options =>
            {
                options.NodeName = name;
                options.Cookie = cookie;
                options.MigrationSecret = "mobility-example-tcp";
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
            })
            .AddMobileProcesses()
            .BuildServiceProvider();
}
