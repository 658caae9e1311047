using MemoryPack;
using Mobility.Migration;
using Mobility.Monitoring;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Cluster;

/// <summary>
/// Every frame exchanged between the nodes of a cluster, after the handshake: a MemoryPack union.
/// Tags are part of the wire protocol: never reuse or renumber one.
/// </summary>
/// <remarks>
/// Each subsystem declares its messages beside itself and registers their handlers with the
/// <see cref="ClusterDispatcher"/>; only their tags live here, in one table, so that no two subsystems can take the
/// same number and none can move one. A new message takes the next free tag; the tag of a message retired is never
/// given to another. The owner named on each line is the subsystem whose handler receives it.
/// <c>ClusterProtocolTagsTests</c> pins every tag to its type, and checks that a started node handles every message.
/// This table is the one place the cluster layer names the messages of the layers above it (the layering test allows
/// this file alone): MemoryPack's other way, a union formatter declared higher up, adds a public type to the API.
/// </remarks>
[MemoryPackable]
[MemoryPackUnion(0, typeof(MembersMessage))] // membership: ClusterMembership (Cluster/MembershipMessages.cs)
[MemoryPackUnion(1, typeof(HeartbeatMessage))] // membership: ClusterMembership (Cluster/MembershipMessages.cs)
[MemoryPackUnion(2, typeof(DeliverMessage))] // messaging: MessageRouter (Processes/ProcessWireMessages.cs)
[MemoryPackUnion(3, typeof(ReplyMessage))] // messaging: MessageRouter (Processes/ProcessWireMessages.cs)
[MemoryPackUnion(4, typeof(MovedMessage))] // cross-cluster links: CrossClusterLinks (Nodes/CrossClusterMessages.cs)
[MemoryPackUnion(5, typeof(DirectorySetMessage))] // directory: ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(6, typeof(DirectoryLookupMessage))] // directory: ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(7, typeof(DirectoryRemoveMessage))] // directory: ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(8, typeof(NameClaimMessage))] // directory (names): ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(9, typeof(NameLookupMessage))] // directory (names): ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(10, typeof(NameReleaseMessage))] // directory (names): ClusterDirectory (Registry/DirectoryMessages.cs)
[MemoryPackUnion(11, typeof(AnswerMessage))] // requests: ClusterRequests (Cluster/RequestMessages.cs)
[MemoryPackUnion(12, typeof(OfferMessage))] // migration: MigrationCoordinator (Migration/MigrationMessages.cs)
[MemoryPackUnion(13, typeof(CommitMessage))] // migration: MigrationCoordinator (Migration/MigrationMessages.cs)
[MemoryPackUnion(14, typeof(AbortMessage))] // migration: MigrationCoordinator (Migration/MigrationMessages.cs)
[MemoryPackUnion(15, typeof(GoneMessage))] // cross-cluster links: CrossClusterLinks (Nodes/CrossClusterMessages.cs)
[MemoryPackUnion(16, typeof(WatchMessage))] // cross-cluster links: CrossClusterLinks (Nodes/CrossClusterMessages.cs)
[MemoryPackUnion(17, typeof(MonitorDownMessage))] // monitoring: NodeMonitors (Monitoring/NodeMonitorMessages.cs)
[MemoryPackUnion(18, typeof(MonitorMovedMessage))] // monitoring: NodeMonitors (Monitoring/NodeMonitorMessages.cs)
[MemoryPackUnion(19, typeof(OutcomeQueryMessage))] // migration: MigrationCoordinator (Migration/MigrationMessages.cs)
internal partial interface IClusterMessage;
