using MemoryPack;
using Microsoft.Extensions.DependencyInjection;

namespace Mobility.Samples.Events;

/// <summary>Something that happened at a door.</summary>
[MemoryPackable]
public sealed partial record DoorEvent(string Door, string What);

/// <summary>Prints every event, with the node it runs on; its line count is state and moves with the manager.</summary>
[MemoryPackable]
public sealed partial class LoggingHandler : IEventHandler<DoorEvent>
{
    public int Lines { get; set; }

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        Lines++;
        Console.WriteLine($"  [{NodeOf(context)}] {context.HandlerId} #{Lines}: the {e.Door} door {e.What}");
        return ValueTask.CompletedTask;
    }

    internal static string NodeOf(EventHandlerContext context) => context.Services.GetRequiredService<MobilityNode>().Name;
}

/// <summary>Prints events tersely; swapped in for a <see cref="LoggingHandler"/>, it goes on numbering its lines.</summary>
[MemoryPackable]
public sealed partial class CompactLoggingHandler : IEventHandler<DoorEvent>
{
    public int Lines { get; set; }

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        Lines++;
        Console.WriteLine($"  [{LoggingHandler.NodeOf(context)}] {context.HandlerId} #{Lines}: {e.Door}/{e.What}");
        return ValueTask.CompletedTask;
    }

    public void OnAdded(EventHandlerContext<DoorEvent> context, IEventHandler<DoorEvent>? replaced)
    {
        if (replaced is LoggingHandler logging)
        {
            Lines = logging.Lines;
        }
    }
}

/// <summary>Counts events per door, and answers "how many at this door?" calls.</summary>
[MemoryPackable]
public sealed partial class CountingHandler : IEventHandler<DoorEvent>, IEventHandlerCalls<string, int>
{
    public Dictionary<string, int> PerDoor { get; set; } = [];

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        PerDoor[e.Door] = PerDoor.GetValueOrDefault(e.Door) + 1;
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> HandleCallAsync(string door, EventHandlerContext context) => ValueTask.FromResult(PerDoor.GetValueOrDefault(door));
}

/// <summary>Throws when a door is forced: the manager removes it and goes on.</summary>
[MemoryPackable]
public sealed partial class AlarmHandler : IEventHandler<DoorEvent>
{
    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context) =>
        e.What == "forced" ? throw new InvalidOperationException($"the {e.Door} door was forced and the siren is broken") : ValueTask.CompletedTask;

    public void OnRemoved(EventHandlerRemoval removal, EventHandlerContext<DoorEvent> context) =>
        Console.WriteLine($"  [{LoggingHandler.NodeOf(context)}] {context.HandlerId} removed: {removal.Reason} ({removal.Exception?.Message})");
}
