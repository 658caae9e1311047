namespace Mobility;

/// <summary>Why a message did not reach its process (<see cref="ProcessStoppedException.Reason"/>).</summary>
public enum ProcessStopReason
{
    /// <summary>The node that hosted the process said it stopped: it will never answer again.</summary>
    Stopped,

    /// <summary>
    /// The node the process lived on went down while the call was pending: the process is taken to be gone with its node,
    /// and the call may or may not have run there. (A node cut off rather than dead may still run it: treat the outcome
    /// as unknown.)
    /// </summary>
    NodeLost,

    /// <summary>No node is known to host the process: the directory has no location for it (it may be re-homing its entries after a node went down; a later message asks again).</summary>
    NotFound,
}
