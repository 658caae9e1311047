namespace Mobility;

/// <summary>
/// A message did not reach its process: it has stopped, or its node went down, or no node is known to host it —
/// <see cref="Reason"/> says which. Its reference stays valid as a value.
/// </summary>
public sealed class ProcessStoppedException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public ProcessStoppedException(ProcessId processId, string message, ProcessStopReason reason = ProcessStopReason.Stopped)
        : base(message)
    {
        ProcessId = processId;
        Reason = reason;
    }

    /// <summary>The id of the process.</summary>
    public ProcessId ProcessId { get; }

    /// <summary>
    /// What is known: <see cref="ProcessStopReason.Stopped"/> (it will never answer), <see cref="ProcessStopReason.NodeLost"/>
    /// (its node went down while a call was pending: the call may have run), or <see cref="ProcessStopReason.NotFound"/>
    /// (no node is known to host it now).
    /// </summary>
    public ProcessStopReason Reason { get; }

    internal static ProcessStoppedException For(ProcessRef process) => For(process.Id, process.TypeId);

    internal static ProcessStoppedException For(ProcessId id, string typeId, string? detail = null) => new(
        id,
        $"Process {typeId}#{id} has stopped{(detail is null ? string.Empty : $" ({detail})")}: it handles no more messages. " +
        "Spawn a new process, or look its name up again with WhereIsAsync.");

    internal static ProcessStoppedException NotFound(ProcessId id, string typeId, string detail) => new(
        id,
        $"Process {typeId}#{id} could not be found: {detail}. It may have stopped, or its node may be re-homing its directory entries; a later message asks again.",
        ProcessStopReason.NotFound);

    internal static ProcessStoppedException NodeLost(string node, string handler) => new(
        default,
        $"Node '{node}' went down before the process answered '{handler}': the process is taken to be gone with its node, and the call may have run there.",
        ProcessStopReason.NodeLost);
}
