using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mobility.Example;

/// <summary>
/// One node of the example cluster, driven by typed commands (the seed's <c>mobility_example</c> shell):
/// <c>spawn</c>, <c>add N</c>, <c>note TEXT</c>, <c>state</c>, <c>send-me NODE</c>, <c>send-me tcp HOST PORT</c>,
/// <c>nodes</c>, <c>quit</c>.
/// The example process is found by its cluster-wide name from every node.
/// </summary>
internal static class NodeConsole
{
    private const string Name = "mobility_example";

    public static async Task RunAsync(NodeArguments arguments, TextReader input, TextWriter output)
    {
        await using var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddMobility(options =>
            {
                options.NodeName = arguments.Name;
                options.Cookie = arguments.Cookie;
                options.MigrationSecret = arguments.MigrationSecret;
                options.Listen = new IPEndPoint(IPAddress.Loopback, arguments.Port);
            })
            .AddMobileProcesses()
            .BuildServiceProvider();
        var node = services.GetRequiredService<MobilityNode>();
        node.NodeUp += (_, up) => output.WriteLine($"node '{up.NodeName}' is up");
        node.NodeDown += (_, down) => output.WriteLine($"node '{down.NodeName}' is down: {down.Reason}");
        await node.StartAsync();
        output.WriteLine($"node '{node.Name}' listens on {node.LocalEndPoint}; commands: spawn, add N, note TEXT, state, send-me NODE, send-me tcp HOST PORT, nodes, quit");
        if (arguments.Join is { } join)
        {
            var reached = await node.ConnectAsync(join);
            output.WriteLine($"joined the cluster through node '{reached}'");
        }

        while (await input.ReadLineAsync() is { } line)
        {
            var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            if (parts[0] == "quit")
            {
                break;
            }

            try
            {
                output.WriteLine(await ExecuteAsync(node, parts[0], parts.Length > 1 ? parts[1] : string.Empty));
            }
            catch (Exception exception) when (exception is MobilityException or IOException or InvalidOperationException or TimeoutException)
            {
                output.WriteLine($"error: {exception.Message}");
            }
        }

        await node.StopAsync();
    }

    private static async Task<string> ExecuteAsync(MobilityNode node, string command, string argument)
    {
        switch (command)
        {
            case "spawn":
                var spawned = await node.SpawnAsync<ExampleProcess>();
                await spawned.RegisterAsync(Name);
                return $"spawned {spawned} on '{node.Name}' as '{Name}'";
            case "nodes":
                return $"nodes: [{string.Join(", ", node.Nodes)}]";
            case "help":
                return "spawn | add N | note TEXT | state | send-me NODE | send-me tcp HOST PORT | nodes | quit";
        }

        var example = await node.WhereIsAsync<ExampleProcess>(Name)
            ?? throw new InvalidOperationException($"no process is registered as '{Name}': type 'spawn' on some node first");
        switch (command)
        {
            case "add" when int.TryParse(argument, out var amount):
                return $"count = {await example.AddAsync(amount)}";
            case "note":
                example.Note(argument);
                return "noted";
            case "state":
                return await example.StateAsync();
            case "send-me" when argument.Split(' ') is ["tcp", var host, var portText] && int.TryParse(portText, out var port):
                await example.SendMeAsync(Destination.Tcp(host, port));
                return $"moved to tcp://{host}:{port}";
            case "send-me" when argument.Length > 0:
                await example.SendMeAsync(Destination.Node(argument));
                return $"moved to '{argument}'";
            default:
                return $"unknown command '{command} {argument}'; try: help";
        }
    }
}
