using MemoryPack;
using Microsoft.Extensions.DependencyInjection;
using Mobility.Tests.Support;

namespace Mobility.Tests.Events;

/// <summary>The event the test managers distribute.</summary>
[MemoryPackable]
public sealed partial record DoorEvent(int Number, string Door);

/// <summary>Asks a handler what it has: answered by the handlers that implement <see cref="IEventHandlerCalls{TRequest, TReply}"/>.</summary>
[MemoryPackable]
public sealed partial record Report(string Prefix);

/// <summary>Records the number of every event it sees, and answers calls with them.</summary>
[MemoryPackable]
public sealed partial class RecordingHandler : IEventHandler<DoorEvent>, IEventHandlerCalls<Report, string>
{
    public List<int> Seen { get; set; } = [];

    public string Label { get; set; } = "";

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        Seen.Add(e.Number);
        return ValueTask.CompletedTask;
    }

    public ValueTask<string> HandleCallAsync(Report request, EventHandlerContext context) =>
        ValueTask.FromResult($"{request.Prefix}{Label}[{string.Join(",", Seen)}]");

    public void OnAdded(EventHandlerContext<DoorEvent> context, IEventHandler<DoorEvent>? replaced) =>
        context.Services.GetRequiredService<Journal>().Write($"added {context.HandlerId}");

    public void OnRemoved(EventHandlerRemoval removal, EventHandlerContext<DoorEvent> context) =>
        context.Services.GetRequiredService<Journal>().Write($"removed {context.HandlerId}: {removal.Reason} {removal.Exception?.Message}".TrimEnd());
}

/// <summary>Counts events per door; answers with the total.</summary>
[MemoryPackable]
public sealed partial class CountingHandler : IEventHandler<DoorEvent>, IEventHandlerCalls<string, int>
{
    public Dictionary<string, int> PerDoor { get; set; } = [];

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        PerDoor[e.Door] = PerDoor.GetValueOrDefault(e.Door) + 1;
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> HandleCallAsync(string door, EventHandlerContext context) =>
        ValueTask.FromResult(door == "*" ? PerDoor.Values.Sum() : PerDoor.GetValueOrDefault(door));
}

/// <summary>Sums event numbers; when swapped in for a <see cref="CountingHandler"/>, starts from its total.</summary>
[MemoryPackable]
public sealed partial class SummingHandler : IEventHandler<DoorEvent>, IEventHandlerCalls<string, int>
{
    public int Sum { get; set; }

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        Sum += e.Number;
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> HandleCallAsync(string door, EventHandlerContext context) => ValueTask.FromResult(Sum);

    public void OnAdded(EventHandlerContext<DoorEvent> context, IEventHandler<DoorEvent>? replaced)
    {
        if (replaced is CountingHandler counting)
        {
            Sum = counting.PerDoor.Values.Sum();
        }
    }
}

/// <summary>Throws on the event numbered <see cref="FailOn"/>, and on any call.</summary>
[MemoryPackable]
public sealed partial class FailingHandler : IEventHandler<DoorEvent>, IEventHandlerCalls<Report, string>
{
    public int FailOn { get; set; }

    public async ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        await Task.Yield();
        if (e.Number == FailOn)
        {
            throw new InvalidOperationException($"jammed at {e.Number}");
        }
    }

    public ValueTask<string> HandleCallAsync(Report request, EventHandlerContext context) => throw new FormatException("cannot report");

    public void OnRemoved(EventHandlerRemoval removal, EventHandlerContext<DoorEvent> context) =>
        context.Services.GetRequiredService<Journal>().Write($"removed {context.HandlerId}: {removal.Reason} {removal.Exception?.Message}".TrimEnd());
}

/// <summary>Refuses to be added.</summary>
[MemoryPackable]
public sealed partial class RefusingHandler : IEventHandler<DoorEvent>
{
    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context) => ValueTask.CompletedTask;

    public void OnAdded(EventHandlerContext<DoorEvent> context, IEventHandler<DoorEvent>? replaced) =>
        throw new InvalidOperationException("not today");
}

/// <summary>Never registered with any node.</summary>
[MemoryPackable]
public sealed partial class UnregisteredHandler : IEventHandler<DoorEvent>
{
    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context) => ValueTask.CompletedTask;
}

/// <summary>Registered only on the node named "a" of an <see cref="EventNodes"/> cluster; counts its instances.</summary>
[MemoryPackable]
public sealed partial class LocalOnlyHandler : IEventHandler<DoorEvent>
{
    private static int s_created;

    public LocalOnlyHandler() => Interlocked.Increment(ref s_created);

    public static int Created => Volatile.Read(ref s_created);

    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context) => ValueTask.CompletedTask;
}

/// <summary>Waits at the node's <see cref="Gate"/> on every event.</summary>
[MemoryPackable]
public sealed partial class GatedHandler : IEventHandler<DoorEvent>
{
    public async ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context) =>
        await context.Services.GetRequiredService<Gate>().WaitAsync();
}

/// <summary>Handles events until one names the door "exit", then asks to be removed.</summary>
[MemoryPackable]
public sealed partial class OneShotHandler : IEventHandler<DoorEvent>
{
    public ValueTask HandleAsync(DoorEvent e, EventHandlerContext<DoorEvent> context)
    {
        if (e.Door == "exit")
        {
            context.RemoveHandler();
        }

        return ValueTask.CompletedTask;
    }

    public void OnRemoved(EventHandlerRemoval removal, EventHandlerContext<DoorEvent> context) =>
        context.Services.GetRequiredService<Journal>().Write($"removed {context.HandlerId}: {removal.Reason}");
}
