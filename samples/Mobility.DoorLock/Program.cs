using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mobility;
using Mobility.DoorLock;

// A door lock state machine on two nodes of one cluster, in one OS process: it opens on the right code,
// is moved to node b while open, and still locks itself again there when its state timeout is due.
var output = Console.Out;
await using var a = BuildNode("a", output);
await using var b = BuildNode("b", output);
var nodeA = a.GetRequiredService<MobilityNode>();
var nodeB = b.GetRequiredService<MobilityNode>();
await nodeA.StartAsync();
await nodeB.StartAsync();
await nodeB.ConnectAsync(nodeA.LocalEndPoint!);
output.WriteLine("nodes 'a' and 'b' form a cluster");

var door = await nodeA.SpawnAsync<DoorLock>();
await door.ConfigureAsync("4711", openSeconds: 2);
output.WriteLine($"spawned the door lock on a: {await door.StatusAsync()}");

output.WriteLine("typing 4 7 2 (wrong), then 4 7 1 1");
foreach (var digit in "4724711")
{
    door.Button(digit);
}

var opened = Stopwatch.StartNew();
output.WriteLine($"status: {await door.StatusAsync()}");
door.Deliver("books");

output.WriteLine("moving the open door to node b");
await door.SendMeAsync(Destination.Node("b"));
output.WriteLine($"status: {await door.StatusAsync()}");

var deadline = Stopwatch.StartNew();
while (!(await door.StatusAsync()).StartsWith("Locked", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(10))
{
    await Task.Delay(50);
}

output.WriteLine($"locked again {opened.Elapsed.TotalSeconds:0.0} s after opening (due after 2 s): {await door.StatusAsync()}");
await door.StopAsync();
output.WriteLine("done");

static ServiceProvider BuildNode(string name, TextWriter output) =>
    new ServiceCollection()
        .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Error))
        .AddSingleton(output)
        .AddMobility(options =>
        {
            options.NodeName = name;
            options.Cookie = "door-lock-sample";
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
        })
        .AddMobileProcesses()
        .BuildServiceProvider();
