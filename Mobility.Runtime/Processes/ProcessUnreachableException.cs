namespace Mobility;

/// <summary>
/// A process lives in another cluster whose link stayed down longer than
/// <see cref="MobilityOptions.LinkRetryTimeout"/>: the message was not delivered (it was not lost silently either).
/// The process may still be alive there; a later message is tried again.
/// </summary>
public sealed class ProcessUnreachableException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public ProcessUnreachableException(ProcessId processId, string message)
        : base(message)
    {
        ProcessId = processId;
    }

    /// <summary>The process that could not be reached.</summary>
    public ProcessId ProcessId { get; }
}
