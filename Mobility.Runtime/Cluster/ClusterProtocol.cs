using MemoryPack;
using Mobility.Transport;

namespace Mobility.Cluster;

/// <summary>
/// Every frame exchanged between the nodes of a cluster, after the handshake: a MemoryPack union.
/// Tags are part of the wire protocol: never reuse or renumber one.
/// </summary>
[MemoryPackable]
[MemoryPackUnion(0, typeof(MembersMessage))]
[MemoryPackUnion(1, typeof(HeartbeatMessage))]
[MemoryPackUnion(2, typeof(DeliverMessage))]
[MemoryPackUnion(3, typeof(ReplyMessage))]
[MemoryPackUnion(4, typeof(MovedMessage))]
[MemoryPackUnion(5, typeof(DirectorySetMessage))]
[MemoryPackUnion(6, typeof(DirectoryLookupMessage))]
[MemoryPackUnion(7, typeof(DirectoryRemoveMessage))]
[MemoryPackUnion(8, typeof(NameClaimMessage))]
[MemoryPackUnion(9, typeof(NameLookupMessage))]
[MemoryPackUnion(10, typeof(NameReleaseMessage))]
[MemoryPackUnion(11, typeof(AnswerMessage))]
[MemoryPackUnion(12, typeof(OfferMessage))]
[MemoryPackUnion(13, typeof(CommitMessage))]
[MemoryPackUnion(14, typeof(AbortMessage))]
[MemoryPackUnion(15, typeof(GoneMessage))]
[MemoryPackUnion(16, typeof(WatchMessage))]
[MemoryPackUnion(17, typeof(MonitorDownMessage))]
[MemoryPackUnion(18, typeof(MonitorMovedMessage))]
internal partial interface IClusterMessage;

/// <summary>A request that expects one <see cref="AnswerMessage"/> with the same <see cref="RequestId"/>.</summary>
internal interface IClusterRequest : IClusterMessage
{
    long RequestId { get; }
}

/// <summary>A member of the cluster as gossiped: its name and the endpoint it listens on.</summary>
[MemoryPackable]
internal sealed partial record MemberInfo([property: CheckedString] string Name, [property: CheckedString] string Host, int Port);

/// <summary>The members the sender is connected to (itself included): receivers connect to those they miss.</summary>
[MemoryPackable]
internal sealed partial record MembersMessage(MemberInfo[] Members) : IClusterMessage;

/// <summary>Proof of life, sent when nothing else was sent for a heartbeat interval.</summary>
[MemoryPackable]
internal sealed partial record HeartbeatMessage : IClusterMessage;

/// <summary>A message for a process, with its arguments encoded by the process type's generated code.</summary>
/// <param name="Target">The process.</param>
/// <param name="TypeId">The process type (checked against the process found).</param>
/// <param name="HandlerId">The handler.</param>
/// <param name="CallId">Non-zero for a call: the id the reply carries back to <paramref name="ReplyNode"/>.</param>
/// <param name="ReplyNode">The node that awaits the reply (empty for a cast).</param>
/// <param name="Origin">The sender's sequence key (node name and incarnation).</param>
/// <param name="Sequence">The message's number in its origin's stream to this process.</param>
/// <param name="Arguments">The encoded arguments.</param>
/// <param name="Hops">How many times it was forwarded.</param>
[MemoryPackable]
internal sealed partial record DeliverMessage(
    Guid Target,
    [property: RecurringString] string TypeId,
    int HandlerId,
    long CallId,
    [property: RecurringString] string ReplyNode,
    [property: RecurringString] string Origin,
    long Sequence,
    byte[] Arguments,
    int Hops) : IClusterMessage
{
    /// <summary>The message's number in its origin's stream to this process; 0 until a message posted here is queued.</summary>
    public long Sequence { get; set; } = Sequence;
}

/// <summary>How a remote call ended.</summary>
internal enum ReplyStatus : byte
{
    Ok,
    Failed,
    Stopped,
}

/// <summary>The reply to a call: its encoded result, or what went wrong.</summary>
[MemoryPackable]
internal sealed partial record ReplyMessage(
    long CallId,
    ReplyStatus Status,
    byte[]? Result,
    [property: CheckedString] string? ErrorType,
    [property: CheckedString] string? ErrorMessage) : IClusterMessage;

/// <summary>Tells a node that a process it sent to lives elsewhere now (a cache correction).</summary>
[MemoryPackable]
internal sealed partial record MovedMessage(Guid Process, [property: CheckedString] string Node) : IClusterMessage;

/// <summary>Asks the directory owner of a process to record where it lives.</summary>
[MemoryPackable]
internal sealed partial record DirectorySetMessage(long RequestId, Guid Process, [property: CheckedString] string Node) : IClusterRequest;

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

/// <summary>
/// The answer to any <see cref="IClusterRequest"/>: <paramref name="Ok"/>, plus a process and its type and node
/// where the request asked for one, or the reason of a refusal.
/// </summary>
[MemoryPackable]
internal sealed partial record AnswerMessage(
    long RequestId,
    bool Ok,
    Guid Process,
    [property: CheckedString] string? TypeId,
    [property: CheckedString] string? Node,
    [property: CheckedString] string? Reason) : IClusterMessage;

/// <summary>
/// A timer of a migrating process: when it fires (UTC ticks), the cast it delivers, and for a state machine's
/// timeouts their kind (<see cref="Generated.TimeoutKind"/>) and name.
/// </summary>
[MemoryPackable]
internal sealed partial record TimerInfo(long Id, long DueUtcTicks, int HandlerId, byte[] Arguments, byte Kind = 0, [property: CheckedString] string? Name = null);

/// <summary>The next sequence number a process expects from one origin.</summary>
[MemoryPackable]
internal sealed partial record ExpectedSequence([property: CheckedString] string Origin, long Next);

/// <summary>
/// Migration step 2: the frozen process offered to the destination, which restores it, holds it inactive
/// and answers with an <see cref="AnswerMessage"/> (accepted, or refused with a reason). An empty
/// <see cref="State"/> means the state follows the message in its frame (<see cref="Trailer"/>), as the
/// source writes it: straight from the process into the frame.
/// </summary>
[MemoryPackable]
internal sealed partial record OfferMessage(
    long RequestId,
    Guid Process,
    [property: CheckedString] string TypeId,
    [property: CheckedString] string SourceNode,
    byte[] State,
    string[] Names,
    TimerInfo[] Timers,
    ExpectedSequence[] Expected,
    DeliverMessage[] Queue,
    DeliverMessage[]? Postponed = null,
    MonitoringState? Monitoring = null) : IClusterRequest, ITrailedMessage
{
    /// <inheritdoc />
    [MemoryPackIgnore]
    public System.Buffers.ReadOnlySequence<byte> Trailer { get; init; }

    /// <summary>The encoded state: <see cref="State"/>, or the bytes that followed the message in its frame.</summary>
    [MemoryPackIgnore]
    public System.Buffers.ReadOnlySequence<byte> StateBytes => State.Length > 0 ? new(State) : Trailer;

    /// <inheritdoc />
    public ITrailedMessage WithTrailer(System.Buffers.ReadOnlySequence<byte> trailer) => this with { Trailer = trailer };
}

/// <summary>Migration step 3: the source switched the directory and forwards from now on; the destination activates.</summary>
[MemoryPackable]
internal sealed partial record CommitMessage(long RequestId, Guid Process) : IClusterRequest;

/// <summary>The source gave up before committing: the destination discards the inactive copy.</summary>
[MemoryPackable]
internal sealed partial record AbortMessage(Guid Process) : IClusterMessage;

/// <summary>A process that came from another cluster over this link stopped here: its origin can forget it.</summary>
[MemoryPackable]
internal sealed partial record GoneMessage(Guid Process) : IClusterMessage;

/// <summary>
/// The home of a process that moved between other clusters asks the node hosting it now to send it the
/// process's <see cref="MovedMessage"/> and <see cref="GoneMessage"/> directly.
/// </summary>
[MemoryPackable]
internal sealed partial record WatchMessage(Guid Process) : IClusterMessage;

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
