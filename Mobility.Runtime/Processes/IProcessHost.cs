using MemoryPack;
using Microsoft.Extensions.Logging;

namespace Mobility;

/// <summary>
/// What a running process needs from the node that hosts it. Implemented by the node, so the
/// mailbox loop never touches the directory, the migration machinery or a socket directly.
/// </summary>
internal interface IProcessHost
{
    string NodeName { get; }

    IProcessRouter Router { get; }

    ILogger Logger { get; }

    MemoryPackSerializerOptions SerializerOptions { get; }

    /// <summary>Claims <paramref name="name"/> for the process.</summary>
    /// <returns>False if the process already held the name.</returns>
    /// <exception cref="NameAlreadyRegisteredException">Another process holds it.</exception>
    bool RegisterName(string name, ProcessRef process);

    /// <summary>Moves the process away; returns once it lives at the destination.</summary>
    /// <exception cref="MigrationFailedException">The move rolled back.</exception>
    Task MoveAsync(LocalProcess process, Destination destination);

    /// <summary>Forgets a process that has stopped and releases its names.</summary>
    void OnStopped(LocalProcess process);
}
