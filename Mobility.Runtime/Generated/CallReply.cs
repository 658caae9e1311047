using System.Buffers;
using System.ComponentModel;
using MemoryPack;
using Mobility.Processes;

namespace Mobility.Generated;

/// <summary>
/// Where the answer to one call goes, and the call's own state: whether its handler started, whether its sender
/// withdrew it, whether it left this node. One per call sent — a caller awaiting here (<see cref="AwaitedCall{TResult}"/>)
/// or a caller on another node — carried beside the message in its <see cref="Envelope"/>, never in the message, which
/// is payload only. Generated dispatch sets a call's result through it (<see cref="CallReply{TResult}.SetResult"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallReply
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Withdrawn = 2;
    private const int Sent = 3;

    private int _state;

    private protected CallReply()
    {
    }

    /// <summary>The caller's cancellation token, handed to a handler that takes a <see cref="System.Threading.CancellationToken"/> (none for a caller on another node).</summary>
    public virtual CancellationToken CancellationToken => default;

    /// <summary>For a call answered on another node: the node awaiting the reply, and the id it awaits it under.</summary>
    internal virtual (string Node, long CallId)? RemoteCaller => null;

    /// <summary>For a call sent to another node from here: the id its reply will carry (0 otherwise).</summary>
    internal long PendingCallId { get; set; }

    /// <summary>Whether the caller gave up on the call (its cancellation token fired).</summary>
    internal bool CallerGaveUp => CancellationToken.IsCancellationRequested;

    /// <summary>Called by the loop when it takes the call: false if the sender withdrew it first.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

    /// <summary>
    /// Called by a sender that gave up (timeout, cancellation): true if the handler never ran <em>and the call never
    /// left this node</em> — only then does "withdrawn" mean it will not run.
    /// </summary>
    internal bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Pending) == Pending;

    /// <summary>Called as the call leaves for another node: false if its sender withdrew it first (then it must not leave).</summary>
    internal bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Pending) == Pending;

    /// <summary>A state machine postponed the call: it will be taken again, and its sender may still withdraw it meanwhile.</summary>
    internal void ReturnToPending() => Interlocked.CompareExchange(ref _state, Pending, Started);

    /// <summary>Reports a failure to the caller.</summary>
    internal abstract void Fail(Exception exception);

    /// <summary>Makes the next result wait for <see cref="ReleaseReply"/> (the loop finishes the handler's asked actions first).</summary>
    internal abstract void HoldReply();

    /// <summary>Sends the result the handler set, if it set one while held.</summary>
    internal abstract void ReleaseReply();

    /// <summary>Forgets a result set while the reply was held (the handler postponed the call).</summary>
    internal abstract void DiscardReply();

    /// <summary>Completes the call with a reply encoded on another node (read before this returns: it may be a frame's memory).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a result of this call.</exception>
    internal abstract void CompleteFromWire(in ReadOnlySequence<byte> result, MemoryPackSerializerOptions options);
}

/// <summary>The reply to a call whose handler returns <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The reply type (<see cref="NoResult"/> for handlers that return nothing).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallReply<TResult> : CallReply
{
    private bool _held;
    private bool _hasHeldResult;
    private TResult? _heldResult;

    private protected CallReply()
    {
    }

    /// <summary>
    /// The reply of the call dispatched with <paramref name="reply"/>: itself, or one that goes nowhere when nobody
    /// awaits the call (generated dispatch called directly).
    /// </summary>
    /// <exception cref="InvalidCastException"><paramref name="reply"/> awaits another result type.</exception>
    public static CallReply<TResult> Of(CallReply? reply) => reply is null ? Nowhere.Instance : (CallReply<TResult>)reply;

    /// <summary>Sends the handler's result to the caller. Called by generated dispatch code.</summary>
    public void SetResult(TResult result)
    {
        if (_held)
        {
            _heldResult = result;
            _hasHeldResult = true;
            return;
        }

        Deliver(result);
    }

    /// <summary>Hands the result to the caller.</summary>
    private protected abstract void Deliver(TResult result);

    /// <summary>Hands the failure to the caller.</summary>
    private protected abstract void DeliverFailure(Exception exception);

    internal sealed override void HoldReply() => _held = true;

    internal sealed override void ReleaseReply()
    {
        _held = false;
        if (_hasHeldResult)
        {
            var result = _heldResult!;
            _hasHeldResult = false;
            _heldResult = default;
            Deliver(result);
        }
    }

    internal sealed override void DiscardReply()
    {
        _held = false;
        _hasHeldResult = false;
        _heldResult = default;
    }

    internal sealed override void Fail(Exception exception)
    {
        DiscardReply();
        DeliverFailure(exception);
    }

    internal sealed override void CompleteFromWire(in ReadOnlySequence<byte> result, MemoryPackSerializerOptions options) =>
        Deliver(WireCodec.DecodeResult<TResult>(result, options)!);

    /// <summary>The reply of a call nobody awaits.</summary>
    private sealed class Nowhere : CallReply<TResult>
    {
        public static readonly Nowhere Instance = new();

        private protected override void Deliver(TResult result)
        {
        }

        private protected override void DeliverFailure(Exception exception)
        {
        }
    }
}

/// <summary>The reply to a call whose caller lives on another node: it goes back there, under the id the caller awaits it by.</summary>
internal sealed class RemoteReply<TResult>(IRemoteReplies replies, string node, long callId) : CallReply<TResult>
{
    internal override (string Node, long CallId)? RemoteCaller => (node, callId);

    private protected override void Deliver(TResult result) => replies.Reply(node, callId, result);

    private protected override void DeliverFailure(Exception exception) => replies.Fail(node, callId, exception);
}

/// <summary>Sends the replies of calls whose callers live on other nodes.</summary>
internal interface IRemoteReplies
{
    void Reply<TResult>(string node, long callId, TResult result);

    void Fail(string node, long callId, Exception exception);
}
