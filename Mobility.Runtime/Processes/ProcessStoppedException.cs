namespace Mobility;

/// <summary>
/// The process a message was sent to has stopped (or never existed on the reachable nodes).
/// Its reference stays valid as a value, but it will never answer again.
/// </summary>
public sealed class ProcessStoppedException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public ProcessStoppedException(ProcessId processId, string message)
        : base(message)
    {
        ProcessId = processId;
    }

    /// <summary>The id of the stopped process.</summary>
    public ProcessId ProcessId { get; }

    internal static ProcessStoppedException For(ProcessRef process) => new(
        process.Id,
        $"Process {process} has stopped: it handles no more messages. Spawn a new process, or look its name up again with WhereIsAsync.");
}
