using MemoryPack;
using Mobility.Cluster;
using Mobility.Transport;

namespace Mobility.Nodes;

// The cluster messages the links to other clusters (CrossClusterLinks) own and handle.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>Tells a node that a process it sent to lives elsewhere now (a cache correction).</summary>
[MemoryPackable]
internal sealed partial record MovedMessage(Guid Process, [property: CheckedString] string Node) : IClusterMessage;

/// <summary>A process that came from another cluster over this link stopped here: its origin can forget it.</summary>
[MemoryPackable]
internal sealed partial record GoneMessage(Guid Process) : IClusterMessage;

/// <summary>
/// The home of a process that moved between other clusters asks the node hosting it now to send it the
/// process's <see cref="MovedMessage"/> and <see cref="GoneMessage"/> directly.
/// </summary>
[MemoryPackable]
internal sealed partial record WatchMessage(Guid Process) : IClusterMessage;
