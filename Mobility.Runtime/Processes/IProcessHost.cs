using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// What a running process needs from the node that hosts it. Implemented by the node, so the
/// mailbox loop never touches the directory, the migration machinery or a socket directly.
/// </summary>
internal partial interface IProcessHost
{
    string NodeName { get; }

    IProcessRouter Router { get; }

    ILogger Logger { get; }

    MemoryPackSerializerOptions SerializerOptions { get; }

    TimeProvider Time { get; }

    /// <summary>How long a process waits for a missing message of a sequence before it gives up on it.</summary>
    TimeSpan SequenceGapTimeout { get; }

    /// <summary>Claims <paramref name="name"/> for the process, cluster-wide.</summary>
    /// <returns>False if the process already held the name.</returns>
    /// <exception cref="NameAlreadyRegisteredException">Another process holds it.</exception>
    Task<bool> ClaimNameAsync(string name, LocalProcess process);

    /// <summary>
    /// Moves the frozen process away; returns once it lives at the destination (this node forwards to it
    /// from then on).
    /// </summary>
    /// <exception cref="MigrationFailedException">The move rolled back: the process must resume here.</exception>
    Task MoveAsync(LocalProcess process, Destination destination, MoveCapture capture);

    /// <summary>Sends messages that reached the process after it left to where it lives now.</summary>
    void ForwardAfterMove(LocalProcess process, IReadOnlyList<Envelope> messages);

    /// <summary>Forgets a process that has stopped and releases its names.</summary>
    void OnStopped(LocalProcess process);
}
