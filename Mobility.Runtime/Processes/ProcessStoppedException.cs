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

    internal static ProcessStoppedException For(ProcessRef process) => For(process.Id, process.TypeId);

    internal static ProcessStoppedException For(ProcessId id, string typeId, string? detail = null) => new(
        id,
        $"Process {typeId}#{id} has stopped{(detail is null ? string.Empty : $" ({detail})")}: it handles no more messages. " +
        "Spawn a new process, or look its name up again with WhereIsAsync.");
}
