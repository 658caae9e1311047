using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mobility;
using Mobility.Example;

// The seed's quick start, on one node: spawn the example process, call it, cast to it, register
// it by name, find it again, try to move it, and stop it.
await using var services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Error))
    .AddMobility(options => options.NodeName = "a")
    .AddMobileProcesses()
    .BuildServiceProvider();

var node = services.GetRequiredService<MobilityNode>();
await node.StartAsync();
Console.WriteLine($"node '{node.Name}' started");

var example = await node.SpawnAsync<ExampleProcess>();
Console.WriteLine($"spawned {example}");

Console.WriteLine($"call  Add(5)             -> {await example.AddAsync(5)}");
example.Note("hello");
Console.WriteLine("cast  Note(\"hello\")      -> returned at once");
Console.WriteLine($"call  Add(2)             -> {await example.AddAsync(2)}");

await example.RegisterAsync("mobility_example");
var found = await node.WhereIsAsync<ExampleProcess>("mobility_example");
Console.WriteLine($"registered as 'mobility_example'; whereis finds {(found == example ? "the same process" : "something else")}");
Console.WriteLine($"call  State() by name    -> {await found!.StateAsync()}");

try
{
    await example.SendMeAsync(Destination.Node("b"));
}
catch (MigrationFailedException failure)
{
    Console.WriteLine($"send_me(b)               -> rolled back ({failure.Reason}): {failure.Message}");
}

Console.WriteLine($"state after the rollback -> {await example.StateAsync()}");

await example.StopAsync();
try
{
    await example.AddAsync(1);
}
catch (ProcessStoppedException)
{
    Console.WriteLine("stopped; a later call throws ProcessStoppedException");
}

await node.StopAsync();
Console.WriteLine($"node '{node.Name}' stopped");
