using System.Buffers;
using System.ComponentModel;
using MemoryPack;

namespace Mobility.Generated;

/// <summary>
/// One item of a process mailbox. Generated code derives one sealed message class per handler
/// (from <see cref="CallMessage{TResult}"/> or <see cref="CastMessage"/>); the runtime adds its own
/// system messages (register, move, stop), which use negative handler ids.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ProcessMessage
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Withdrawn = 2;
    private const int Sent = 3;

    private int _state;

    /// <summary>The id of the handler this message is for, unique within its process type.</summary>
    public abstract int HandlerId { get; }

    /// <summary>The handler's name, for logs and exception messages.</summary>
    public abstract string HandlerName { get; }

    /// <summary>Encodes the message's arguments (the reader is the type's <c>ReadMessage</c>).</summary>
    public abstract void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>The sequence key of the node that sent it (null for a message that is not sequenced).</summary>
    internal string? Origin { get; set; }

    /// <summary>Its number in its origin's stream to the target process: the process handles each origin's messages in this order.</summary>
    internal long Sequence { get; set; }

    /// <summary>For a call answered on another node: the node awaiting the reply, and the id it awaits it under.</summary>
    internal (string Node, long CallId)? RemoteCaller { get; private protected set; }

    /// <summary>For a call sent to another node from here: the id its reply will carry (0 otherwise).</summary>
    internal long PendingCallId { get; set; }

    /// <summary>Whether the sender waits for a reply.</summary>
    internal abstract bool IsCall { get; }

    /// <summary>Called by the loop when it takes the message: false if the sender withdrew it first.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

    /// <summary>
    /// Called by a sender that gave up (timeout, cancellation): true if the handler never ran <em>and the message never
    /// left this node</em> — only then does "withdrawn" mean it will not run.
    /// </summary>
    internal bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Pending) == Pending;

    /// <summary>Called as the message leaves for another node: false if its sender withdrew it first (then it must not leave).</summary>
    internal bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Pending) == Pending;

    /// <summary>Reports a failure to the sender (for casts there is nobody to tell).</summary>
    internal abstract void Fail(Exception exception);

    /// <summary>Makes the next result wait for <see cref="ReleaseReply"/> (the loop finishes the handler's asked actions first).</summary>
    internal virtual void HoldReply()
    {
    }

    /// <summary>Sends the result the handler set, if it set one while held.</summary>
    internal virtual void ReleaseReply()
    {
    }

    /// <summary>Routes the reply to a caller on another node.</summary>
    internal virtual void ReplyRemotely(IRemoteReplies replies, string node, long callId)
    {
    }

    /// <summary>Completes the call with a reply encoded on another node (read before this returns: it may be a frame's memory).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a result of this call.</exception>
    internal virtual void CompleteFromWire(in System.Buffers.ReadOnlySequence<byte> result, MemoryPackSerializerOptions options)
    {
    }

    /// <summary>A state machine postponed the message: it will be taken again, and its sender may still withdraw it meanwhile.</summary>
    internal void ReturnToPending() => Interlocked.CompareExchange(ref _state, Pending, Started);

    /// <summary>Forgets a result set while the reply was held (the handler postponed the message).</summary>
    internal virtual void DiscardReply()
    {
    }

    /// <summary>What the caller of a call that got no reply in time is told; <paramref name="withdrawn"/>: it never started.</summary>
    internal virtual Exception TimedOut(ProcessRef target, TimeSpan timeout, bool withdrawn) => new TimeoutException(
        $"Call '{HandlerName}' to process {target} got no reply within {timeout.TotalSeconds:0.###} s " +
        (withdrawn ? "and was withdrawn before it started." : "; it is still running and its late reply will be dropped.") +
        " Raise the timeout with ProcessRef<T>.WithCallTimeout or MobilityOptions.CallTimeout if the handler is slow by design.");

    /// <summary>Whether the sender of a call gave up on it (its cancellation token fired); always false for a cast.</summary>
    internal virtual bool CallerGaveUp => false;
}

/// <summary>Sends the replies of calls whose callers live on other nodes.</summary>
internal interface IRemoteReplies
{
    void Reply<TResult>(string node, long callId, TResult result);

    void Fail(string node, long callId, Exception exception);
}
