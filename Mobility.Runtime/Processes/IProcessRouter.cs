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

    /// <summary>Enqueues <paramref name="message"/> in the target's mailbox.</summary>
    /// <exception cref="ProcessStoppedException">The target is not running.</exception>
    void Post(ProcessRef target, ProcessMessage message);

    /// <summary>A sender gave up on <paramref name="message"/> (timeout, cancellation): drop it if it has not started.</summary>
    void Withdraw(ProcessMessage message);
}
