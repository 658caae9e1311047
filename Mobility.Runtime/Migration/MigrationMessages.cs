using MemoryPack;
using Mobility.Cluster;
using Mobility.Monitoring;
using Mobility.Processes;
using Mobility.Transport;

namespace Mobility.Migration;

// The cluster messages migration (MigrationCoordinator) owns and handles, with the parts of an offer.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

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
/// <see cref="State"/> means the state follows the message in its frame (its trailer, see <see cref="ITrailedMessage"/>),
/// as the source writes it: straight from the process into the frame.
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
    MonitoringState? Monitoring = null,
    long Epoch = 0) : IClusterRequest, ITrailedMessage
{
    /// <summary>The encoded state: <see cref="State"/>, or <paramref name="trailer"/>, the bytes that followed the message in its frame.</summary>
    public System.Buffers.ReadOnlySequence<byte> StateBytes(System.Buffers.ReadOnlySequence<byte> trailer) => State.Length > 0 ? new(State) : trailer;
}

/// <summary>Migration step 3: the source switched the directory and forwards from now on; the destination activates.</summary>
[MemoryPackable]
internal sealed partial record CommitMessage(long RequestId, Guid Process, long Epoch = 0) : IClusterRequest;

/// <summary>The source gave up before committing: the destination discards the inactive copy.</summary>
[MemoryPackable]
internal sealed partial record AbortMessage(Guid Process) : IClusterMessage;

/// <summary>
/// A source that got no answer to its commit asks what became of its offer (the move of epoch <c>Epoch</c>): the
/// destination answers from its record — <c>activated</c> (Ok), or <c>waiting</c>, <c>discarded</c>, <c>unknown</c>.
/// </summary>
[MemoryPackable]
internal sealed partial record OutcomeQueryMessage(long RequestId, Guid Process, long Epoch) : IClusterRequest;
