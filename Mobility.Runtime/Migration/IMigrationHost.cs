using Mobility.Cluster;
using Mobility.Generated;
using Mobility.Nodes;
using Mobility.Processes;

namespace Mobility.Migration;

/// <summary>What migration needs from the node: message conversion, process creation and route switching.</summary>
internal interface IMigrationHost
{
    string NodeName { get; }

    /// <summary>
    /// Converts a message the process had not handled into its wire form for <paramref name="node"/> (registering
    /// local callers for the reply, and relaying the replies of remote ones across a link to another cluster).
    /// </summary>
    DeliverMessage ToWire(ProcessId target, string typeId, ProcessMessage message, PeerAddress node);

    /// <summary>Undoes <see cref="ToWire"/> for messages that stay here after all (the move rolled back).</summary>
    void ForgetWired(IEnumerable<DeliverMessage> messages);

    /// <summary>Creates the offered process through DI, restores it and holds it inactive (messages queue for it).</summary>
    /// <exception cref="MigrationRefusedException">It cannot live here.</exception>
    LocalProcess ReceiveInactive(OfferMessage offer);

    /// <summary>Starts a received process (<c>OnArrived</c>, then its queue in order); <paramref name="via"/> is where it came from.</summary>
    Task ActivateAsync(LocalProcess process, MigrationInfo arrival, PeerAddress via);

    /// <summary>Drops a received process that was never committed.</summary>
    void DiscardInactive(LocalProcess process, PeerAddress via);

    /// <summary>The process left for <paramref name="node"/>: route there from now on.</summary>
    void RouteAway(LocalProcess process, PeerAddress node);

}

/// <summary>The destination refuses a process, with the reason sent back to the source.</summary>
internal sealed class MigrationRefusedException(string reason) : Exception(reason);
