using MemoryPack;
using Mobility.Transport;

namespace Mobility.Monitoring;

/// <summary>
/// A process's monitors and links, as they travel in a migration: who watches it, what it watches, whom it is
/// linked to, and how many times it has moved (the generation that orders location notices).
/// </summary>
/// <param name="Generation">How many times the process has arrived somewhere by migration.</param>
/// <param name="Watchers">The monitors other processes or nodes hold on it.</param>
/// <param name="Monitors">The monitors it holds on other processes.</param>
/// <param name="Links">The processes it is linked to.</param>
[MemoryPackable]
internal sealed partial record MonitoringState(long Generation, WatcherEntry[] Watchers, MonitorEntry[] Monitors, LinkEntry[] Links)
{
    public static MonitoringState Empty { get; } = new(0, [], [], []);
}

/// <summary>
/// A monitor held on this process. <paramref name="Process"/> is the watching process, or <see cref="Guid.Empty"/> for a
/// monitor held by the node <paramref name="Node"/> itself (<see cref="MobilityNode.MonitorAsync"/>).
/// </summary>
[MemoryPackable]
internal sealed partial record WatcherEntry(Guid Monitor, Guid Process, [property: CheckedString] string TypeId, [property: CheckedString] string Node);

/// <summary>A monitor this process holds: the target, and where (and at which generation) it was last known to live.</summary>
[MemoryPackable]
internal sealed partial record MonitorEntry(Guid Monitor, Guid Target, [property: CheckedString] string TypeId, [property: CheckedString] string Node, long Generation);

/// <summary>A process this one is linked to, and where (and at which generation) it was last known to live.</summary>
[MemoryPackable]
internal sealed partial record LinkEntry(Guid Process, [property: CheckedString] string TypeId, [property: CheckedString] string Node, long Generation);

/// <summary>Where a process lives, and its generation there: the answer to a monitor or link request.</summary>
[MemoryPackable]
internal sealed partial record ProcessLocation([property: CheckedString] string Node, long Generation);
