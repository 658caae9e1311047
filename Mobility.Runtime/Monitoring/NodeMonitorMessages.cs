using MemoryPack;
using Mobility.Cluster;
using Mobility.Transport;

namespace Mobility.Monitoring;

// The cluster messages node-side monitors (NodeMonitors) own and handle.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>
/// A process monitored by a node-side monitor of node <paramref name="WatcherNode"/> went down (sent to it, or across a
/// link to the cluster the process came from, whose receiving node passes it on).
/// </summary>
[MemoryPackable]
internal sealed partial record MonitorDownMessage(
    [property: CheckedString] string WatcherNode,
    Guid Monitor,
    Guid Process,
    ExitReason Reason,
    [property: CheckedString] string? ErrorType,
    [property: CheckedString] string? ErrorMessage) : IClusterMessage;

/// <summary>A process monitored by a node-side monitor of node <paramref name="WatcherNode"/> lives on <paramref name="Node"/> now, at that generation.</summary>
[MemoryPackable]
internal sealed partial record MonitorMovedMessage([property: CheckedString] string WatcherNode, Guid Monitor, Guid Process, [property: CheckedString] string Node, long Generation) : IClusterMessage;
