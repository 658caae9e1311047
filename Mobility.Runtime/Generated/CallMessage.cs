using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>Base of generated request/reply messages.</summary>
/// <typeparam name="TResult">The reply type (<see cref="NoResult"/> for handlers that return nothing).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class CallMessage<TResult> : ProcessMessage
{
    private IReplyTarget<TResult>? _reply;

    /// <summary>The caller's cancellation token, handed to a handler that takes a <see cref="CancellationToken"/>.</summary>
    public CancellationToken CancellationToken { get; private set; }

    internal override bool IsCall => true;

    /// <summary>Sends the handler's result back to the caller. Called by generated dispatch code.</summary>
    public void SetResult(TResult result) => _reply?.SetResult(result);

    internal void Prepare(IReplyTarget<TResult> reply, CancellationToken cancellationToken)
    {
        _reply = reply;
        CancellationToken = cancellationToken;
    }

    internal override void Fail(Exception exception) => _reply?.SetException(exception);
}

/// <summary>Where the reply to a call goes: a local awaiting caller, or (later) a remote node.</summary>
internal interface IReplyTarget<TResult>
{
    void SetResult(TResult result);

    void SetException(Exception exception);
}
