namespace Mobility;

/// <summary>
/// Marks a <c>partial</c> class as a mobile process: one object, one mailbox, one loop, able to
/// move between nodes. The Mobility source generator writes its message dispatch, its state
/// snapshot/restore and its typed <see cref="ProcessRef{T}"/> extension methods.
/// </summary>
/// <remarks>
/// Every instance field (and auto-property) not marked <see cref="TransientAttribute"/> is state:
/// it is snapshotted with MemoryPack and travels with the process.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class MobileProcessAttribute : Attribute
{
    /// <summary>
    /// Whether an exception escaping a handler stops the process ("let it crash"). Default <see langword="false"/>: the
    /// exception fails the call that threw (or is logged, for a cast or a hook) and the process keeps running.
    /// </summary>
    /// <remarks>
    /// When <see langword="true"/>, an exception escaping a <see cref="CallAttribute">[Call]</see> or
    /// <see cref="CastAttribute">[Cast]</see> handler, the <c>OnDown</c> or <c>OnExit</c> hook, or a state machine's
    /// <c>[StateEnter]</c> callback stops the process as <c>Stop(exception)</c> would: the call that threw fails with the
    /// exception first, then <c>OnStopping</c> runs, the messages still queued fail with
    /// <see cref="ProcessStoppedException"/>, watchers get a <see cref="Down"/> with <see cref="ExitReason.Exception"/> and the
    /// error's type and message, and linked processes get the exit signal (which stops those that do not trap exits).
    /// What the handler asked for before it threw (<c>SendMe</c>, <c>Register</c>) is not done. Two exceptions do not
    /// stop the process: an <see cref="UnhandledEventException"/> (an event the state machine has no handler for in its
    /// state) and an <see cref="OperationCanceledException"/> of a call whose caller gave up.
    /// </remarks>
    public bool StopOnUnhandledException { get; set; }
}
