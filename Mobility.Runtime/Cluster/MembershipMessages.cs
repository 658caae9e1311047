using MemoryPack;
using Mobility.Transport;

namespace Mobility.Cluster;

// The cluster messages membership (ClusterMembership) owns and handles.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>A member of the cluster as gossiped: its name and the endpoint it listens on.</summary>
[MemoryPackable]
internal sealed partial record MemberInfo([property: CheckedString] string Name, [property: CheckedString] string Host, int Port);

/// <summary>The members the sender is connected to (itself included): receivers connect to those they miss.</summary>
[MemoryPackable]
internal sealed partial record MembersMessage(MemberInfo[] Members) : IClusterMessage;

/// <summary>Proof of life, sent when nothing else was sent for a heartbeat interval.</summary>
[MemoryPackable]
internal sealed partial record HeartbeatMessage : IClusterMessage;
