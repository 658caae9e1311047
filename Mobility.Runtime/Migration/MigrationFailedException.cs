namespace Mobility;

/// <summary>Why a migration did not happen.</summary>
public enum MigrationFailureReason
{
    /// <summary>The destination is the node the process already lives on.</summary>
    AlreadyThere,

    /// <summary>No node of that name is known to the cluster.</summary>
    UnknownNode,

    /// <summary>The destination could not be reached.</summary>
    Unreachable,

    /// <summary>The destination refused the process.</summary>
    Refused,

    /// <summary>The destination did not answer in time.</summary>
    Timeout,

    /// <summary>This node cannot perform that kind of move.</summary>
    NotSupported,

    /// <summary>The process stopped before it could move.</summary>
    ProcessStopped,

    /// <summary>
    /// The destination no longer held the offered copy when the commit reached it (it expired, or was discarded when
    /// the connection to the source failed): the process never ran there and goes on at the source.
    /// </summary>
    Discarded,
}

/// <summary>
/// A migration rolled back: the process keeps running where it was, with its state, and a later
/// move may succeed. <see cref="Reason"/> says why.
/// </summary>
public sealed class MigrationFailedException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public MigrationFailedException(MigrationFailureReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the move failed.</summary>
    public MigrationFailureReason Reason { get; }
}
