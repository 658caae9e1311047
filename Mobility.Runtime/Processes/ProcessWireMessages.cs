using MemoryPack;
using Mobility.Cluster;
using Mobility.Transport;

namespace Mobility.Processes;

// The cluster messages messaging (MessageRouter) owns and handles.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>
/// A message for a process, with its arguments encoded by the process type's generated code. Sent on its own, the
/// arguments follow the message in its frame (its trailer, written straight from the process message into the frame)
/// and <see cref="Arguments"/> is empty; queued in a migration offer, or forwarded, the message carries them.
/// </summary>
/// <param name="Target">The process.</param>
/// <param name="TypeId">The process type (checked against the process found).</param>
/// <param name="HandlerId">The handler.</param>
/// <param name="CallId">Non-zero for a call: the id the reply carries back to <paramref name="ReplyNode"/>.</param>
/// <param name="ReplyNode">The node that awaits the reply (empty for a cast).</param>
/// <param name="Origin">The sender's sequence key (node name and incarnation).</param>
/// <param name="Sequence">The message's number in its origin's stream to this process.</param>
/// <param name="Arguments">The encoded arguments, when they do not follow the message in its frame (empty otherwise).</param>
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
    int Hops) : INumberedMessage, ITrailedMessage
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
    NotFound,
}

/// <summary>
/// The reply to a call: its encoded result, or what went wrong. The result follows the message in its frame (its
/// trailer, written straight from the handler's value into the frame), unless <c>Result</c> carries it (a relayed reply).
/// </summary>
[MemoryPackable]
internal sealed partial record ReplyMessage(
    long CallId,
    ReplyStatus Status,
    byte[]? Result,
    [property: CheckedString] string? ErrorType,
    [property: CheckedString] string? ErrorMessage) : ITrailedMessage;
