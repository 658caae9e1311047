using MemoryPack;
using Mobility.Cluster;
using Mobility.Transport;

namespace Mobility.Registry;

// The cluster messages the directory (ClusterDirectory) owns and handles: process locations and names.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>Asks the directory owner of a process to record where it lives, since its move of epoch <c>Epoch</c>.</summary>
[MemoryPackable]
internal sealed partial record DirectorySetMessage(long RequestId, Guid Process, [property: CheckedString] string Node, long Epoch) : IClusterRequest;

/// <summary>Asks the directory owner of a process where it lives.</summary>
[MemoryPackable]
internal sealed partial record DirectoryLookupMessage(long RequestId, Guid Process) : IClusterRequest;

/// <summary>Tells the directory owner of a process that it stopped.</summary>
[MemoryPackable]
internal sealed partial record DirectoryRemoveMessage(Guid Process, [property: CheckedString] string Node) : IClusterMessage;

/// <summary>Asks the owner of a name to give it to a process (or to move the holder's record to a new node).</summary>
[MemoryPackable]
internal sealed partial record NameClaimMessage(
    long RequestId,
    [property: CheckedString] string Name,
    Guid Process,
    [property: CheckedString] string TypeId,
    [property: CheckedString] string Node) : IClusterRequest;

/// <summary>Asks the owner of a name who holds it.</summary>
[MemoryPackable]
internal sealed partial record NameLookupMessage(long RequestId, [property: CheckedString] string Name) : IClusterRequest;

/// <summary>Tells the owner of a name that its holder gives it up.</summary>
[MemoryPackable]
internal sealed partial record NameReleaseMessage([property: CheckedString] string Name, Guid Process) : IClusterMessage;
