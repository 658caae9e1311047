using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// Delivers messages to processes by reference. Implemented by the node; process references and
/// generated code only ever see this seam, never the node itself.
/// </summary>
internal interface IProcessRouter
{
    /// <summary>The name of the node this router belongs to.</summary>
    string NodeName { get; }

    /// <summary>How long a call waits for its reply unless the reference says otherwise.</summary>
    TimeSpan DefaultCallTimeout { get; }

    /// <summary>How long one step of a move may wait for the other node (a system call to move allows for it).</summary>
    TimeSpan MigrationTimeout { get; }

    /// <summary>Enqueues the message in the target's mailbox (its origin and number are the router's to give).</summary>
    /// <exception cref="ProcessStoppedException">The target is not running.</exception>
    void Post(ProcessRef target, Envelope envelope);

    /// <summary>A caller gave up on the call answered through <paramref name="reply"/> (timeout, cancellation): drop it if it has not started.</summary>
    void Withdraw(CallReply reply);
}
