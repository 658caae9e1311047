using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Migration;

/// <summary>
/// What migration needs from the node that hosts it: its tables, the wire form of messages, process creation, and
/// the news that a process crossed a link. The node implements it; migration never sees the node's other parts.
/// </summary>
internal interface IMigrationHost
{
    string NodeName { get; }

    bool IsRunning { get; }

    ILogger Logger { get; }

    IServiceProvider Services { get; }

    MemoryPackSerializerOptions SerializerOptions { get; }

    ProcessTypes Types { get; }

    ProcessRoutes Routes { get; }

    HeldNames Names { get; }

    ClusterDirectory Directory { get; }

    /// <summary>
    /// Converts a message the process had not handled into its wire form for <paramref name="node"/>, carrying its
    /// arguments (it travels inside the offer, not in a frame of its own), registering local callers for the reply and
    /// relaying the replies of remote ones across a link to another cluster.
    /// </summary>
    DeliverMessage ToWire(ProcessId target, string typeId, Envelope envelope, PeerAddress node);

    /// <summary>Undoes <see cref="ToWire"/> for messages that stay here after all (the move rolled back).</summary>
    void ForgetWired(IEnumerable<DeliverMessage> messages);

    /// <summary>Decodes a message for a process of <paramref name="type"/>.</summary>
    /// <exception cref="InvalidDataException">The message does not fit the type.</exception>
    Envelope FromWire(ProcessType type, DeliverMessage wire);

    /// <summary>Sends messages that reached a copy of the process here to where it lives now (or fails them).</summary>
    void ForwardAll(ProcessId id, string typeId, IReadOnlyList<Envelope> messages);

    /// <summary>A process of this node, not started yet.</summary>
    LocalProcess Create(ProcessType type, ProcessId id, IMobileProcess instance);

    /// <summary>Process <paramref name="id"/> arrived from another cluster over <paramref name="link"/>.</summary>
    void ArrivedOverLink(ProcessId id, PeerAddress link);

    /// <summary>Process <paramref name="id"/> left this node for <paramref name="destination"/>.</summary>
    void Left(ProcessId id, PeerAddress destination);
}

/// <summary>The destination refuses a process, with the reason sent back to the source.</summary>
internal sealed class MigrationRefusedException(string reason) : Exception(reason);
