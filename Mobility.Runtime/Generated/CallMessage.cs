using System.ComponentModel;
using MemoryPack;
using Mobility.Processes;

namespace Mobility.Generated;

/// <summary>Base of generated request/reply messages.</summary>
/// <typeparam name="TResult">The reply type (<see cref="NoResult"/> for handlers that return nothing).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallMessage<TResult> : ProcessMessage
{
    private IReplyTarget<TResult>? _reply;
    private bool _held;
    private bool _hasHeldResult;
    private TResult? _heldResult;

    /// <summary>The caller's cancellation token, handed to a handler that takes a <see cref="CancellationToken"/>.</summary>
    public CancellationToken CancellationToken { get; private set; }

    internal override bool IsCall => true;

    internal override bool CallerGaveUp => CancellationToken.IsCancellationRequested;

    /// <summary>Sends the handler's result back to the caller. Called by generated dispatch code.</summary>
    public void SetResult(TResult result)
    {
        if (_held)
        {
            _heldResult = result;
            _hasHeldResult = true;
            return;
        }

        _reply?.SetResult(result);
    }

    internal void Prepare(IReplyTarget<TResult> reply, CancellationToken cancellationToken)
    {
        _reply = reply;
        CancellationToken = cancellationToken;
    }

    internal override void HoldReply() => _held = true;

    internal override void ReleaseReply()
    {
        _held = false;
        if (_hasHeldResult)
        {
            _hasHeldResult = false;
            _reply?.SetResult(_heldResult!);
            _heldResult = default;
        }
    }

    internal override void DiscardReply()
    {
        _held = false;
        _hasHeldResult = false;
        _heldResult = default;
    }

    internal override void Fail(Exception exception)
    {
        _held = false;
        _hasHeldResult = false;
        _reply?.SetException(exception);
    }

    internal override void ReplyRemotely(IRemoteReplies replies, string node, long callId)
    {
        RemoteCaller = (node, callId);
        _reply = new RemoteReply(replies, node, callId);
    }

    internal override void CompleteFromWire(in System.Buffers.ReadOnlySequence<byte> result, MemoryPackSerializerOptions options) =>
        _reply?.SetResult(WireCodec.DecodeResult<TResult>(result, options)!);

    private sealed class RemoteReply(IRemoteReplies replies, string node, long callId) : IReplyTarget<TResult>
    {
        public void SetResult(TResult result) => replies.Reply(node, callId, result);

        public void SetException(Exception exception) => replies.Fail(node, callId, exception);
    }
}

/// <summary>Where the reply to a call goes: a local awaiting caller, or a remote node.</summary>
internal interface IReplyTarget<TResult>
{
    void SetResult(TResult result);

    void SetException(Exception exception);
}
