using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mobility;
using Mobility.Samples.Events;

// An event manager (gen_event) with a logging, a counting and an alarm handler, on a two-node cluster in one OS
// process: events are notified, a handler is called, the manager moves from a to b with its handlers' state,
// a handler is swapped, and a handler that throws is removed while the others go on.
await using var a = BuildNode("a");
await using var b = BuildNode("b");
var nodeA = a.GetRequiredService<MobilityNode>();
var nodeB = b.GetRequiredService<MobilityNode>();
await nodeA.StartAsync();
await nodeB.StartAsync();
await nodeB.ConnectAsync(nodeA.LocalEndPoint!);
Console.WriteLine($"nodes 'a' and 'b' form a cluster ({nodeA.LocalEndPoint}, {nodeB.LocalEndPoint})");

var doors = await nodeA.SpawnAsync<EventManager<DoorEvent>>();
await doors.RegisterAsync("doors");
await doors.AddHandlerAsync(new LoggingHandler(), "log");
await doors.AddHandlerAsync(new CountingHandler(), "count");
await doors.AddHandlerAsync(new AlarmHandler(), "alarm");
Console.WriteLine($"spawned {doors} on a; handlers: {string.Join(", ", await doors.WhichHandlersAsync())}");

doors.Notify(new DoorEvent("front", "opened"));
doors.Notify(new DoorEvent("front", "closed"));
await doors.SyncNotifyAsync(new DoorEvent("back", "opened"));
Console.WriteLine($"count handler: front door {await doors.Handler("count").CallAsync<string, int>("front")} events");

await doors.SendMeAsync(Destination.Node("b"));
Console.WriteLine("moved the manager to b, with its handlers");
var fromB = (await nodeB.WhereIsAsync<EventManager<DoorEvent>>("doors"))!;
fromB.Notify(new DoorEvent("front", "opened"));
await doors.SyncNotifyAsync(new DoorEvent("back", "closed"));
Console.WriteLine($"count handler: front door {await fromB.Handler("count").CallAsync<string, int>("front")} events (still counting on b)");

await doors.SwapHandlerAsync("log", new CompactLoggingHandler(), "compact-log");
Console.WriteLine($"swapped 'log' for 'compact-log'; handlers: {string.Join(", ", await doors.WhichHandlersAsync())}");
var result = await doors.SyncNotifyAsync(new DoorEvent("back", "forced"));
foreach (var removed in result.Removed)
{
    Console.WriteLine($"sync notify: '{removed.Id}' threw {removed.ExceptionType} and was removed");
}

await doors.SyncNotifyAsync(new DoorEvent("front", "closed"));
Console.WriteLine($"handlers: {string.Join(", ", await doors.WhichHandlersAsync())}; back door {await doors.Handler("count").CallAsync<string, int>("back")} events");

await doors.StopAsync();
Console.WriteLine("stopped the manager");

static ServiceProvider BuildNode(string name) =>
    new ServiceCollection()
        .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Error))
        .AddMobility(options =>
        {
            options.NodeName = name;
            options.Cookie = "event-manager-sample";
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
        })
        .AddEventManager<DoorEvent>()
        .AddEventHandler<LoggingHandler>()
        .AddEventHandler<CompactLoggingHandler>()
        .AddEventHandler<CountingHandler>()
        .AddEventHandler<AlarmHandler>()
        .BuildServiceProvider();
