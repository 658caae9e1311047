using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>
/// The runtime side of a running process, as generated code sees it: the process-side members
/// <c>Self</c>, <c>SendMe</c>, <c>Register</c> and <c>Stop</c> forward here.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ProcessContext
{
    private protected ProcessContext()
    {
    }

    /// <summary>The reference to the running process.</summary>
    public abstract ProcessRef<T> GetSelf<T>()
        where T : class, IMobileProcess<T>;

    /// <summary>Asks for a move to <paramref name="destination"/> once the current handler returns.</summary>
    public abstract void SendMe(Destination destination);

    /// <summary>Registers the process under <paramref name="name"/>, cluster-wide, once the current handler returns.</summary>
    public abstract void Register(string name);

    /// <summary>Asks for the process to stop once the current handler returns.</summary>
    public abstract void Stop();

    /// <summary>
    /// Delivers, after <paramref name="delay"/>, the cast that <paramref name="send"/> sends to the reference it
    /// is given (e.g. <c>self =&gt; self.Tick()</c>). The timer moves with the process and fires at its due time.
    /// </summary>
    public abstract TimerId SendAfter<T>(TimeSpan delay, Action<ProcessRef<T>> send)
        where T : class, IMobileProcess<T>;

    /// <summary>Cancels a pending timer; false if it already fired or was cancelled.</summary>
    public abstract bool CancelTimer(TimerId timer);

    /// <summary>
    /// Monitors <paramref name="target"/>: when it goes down (or if it is not running), the process's <c>OnDown</c> hook
    /// gets one <see cref="Down"/> for the returned monitor, in mailbox order. Moves of either side send none.
    /// </summary>
    public abstract MonitorRef Monitor(ProcessRef target);

    /// <summary>Gives a monitor up: no <see cref="Down"/> for it is handled afterwards. False if it was not held (any more).</summary>
    public abstract bool Demonitor(MonitorRef monitor);

    /// <summary>Links the process with <paramref name="other"/>, both ways: when either exits, the other gets its exit signal.</summary>
    public abstract void Link(ProcessRef other);

    /// <summary>Removes the link with <paramref name="other"/>, both ways.</summary>
    public abstract void Unlink(ProcessRef other);

    /// <summary>Asks for the process to stop abnormally, with <paramref name="reason"/>, once the current handler returns.</summary>
    public abstract void Stop(Exception reason);

    /// <summary>The exception for a process-side member used on an instance that no node runs.</summary>
    public static InvalidOperationException NotAttached(string typeName) => new(
        $"'{typeName}' is not running in a Mobility node: Self, SendMe, Register and Stop work only inside the handlers of a process " +
        "created with MobilityNode.SpawnAsync<T>(), never on an instance created with 'new' or from its constructor.");

    /// <summary>
    /// Starts a state machine timeout of <paramref name="kind"/> (named: called <paramref name="name"/>): after
    /// <paramref name="delay"/>, the cast <paramref name="send"/> sends is delivered. It replaces the pending timeout
    /// of that kind (named: of that name), moves with the process and fires at its due time.
    /// </summary>
    public abstract void SetTimeout<T>(TimeoutKind kind, string? name, TimeSpan delay, Action<ProcessRef<T>> send)
        where T : class, IMobileProcess<T>;

    /// <summary>Cancels the pending timeout of <paramref name="kind"/> (named: called <paramref name="name"/>); false if none.</summary>
    public abstract bool CancelTimeout(TimeoutKind kind, string? name);

    /// <summary>Keeps the event being handled until the state machine changes state; then it is handled again.</summary>
    public abstract void Postpone();

    /// <summary>
    /// Throws unless <paramref name="member"/> (<c>NextState</c>, <c>Postpone</c>) is used where it may be: in a
    /// handler running on the process's loop, not in a <c>[StateEnter]</c> method.
    /// </summary>
    public abstract void EnsureCanTransition(string member);
}
