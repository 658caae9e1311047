using System.Threading.Tasks.Sources;

namespace Mobility.Generated;

/// <summary>
/// A call whose caller awaits its reply on this node: the reply target, the awaitable and the timeout in one object
/// (a <see cref="TaskCompletionSource{TResult}"/> awaited through <c>WaitAsync(timeout, token)</c> costs four more
/// per call). Whichever comes first — the reply, the timeout, the caller's cancellation — completes it; the others
/// find it completed and do nothing, except that a reply to a caller that has cancelled meanwhile still ends in
/// <see cref="OperationCanceledException"/>. A call that times out or is cancelled before its handler started is withdrawn.
/// </summary>
/// <typeparam name="TResult">The reply type.</typeparam>
internal sealed class AwaitedCall<TResult> : CallReply<TResult>, IValueTaskSource<TResult>, IValueTaskSource
{
    private readonly ProcessRef _target;
    private readonly ProcessMessage _message;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _cancellationToken;
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = true };
    private ITimer? _timer;
    private CancellationTokenRegistration _cancellation;
    private int _completed;

    public AwaitedCall(ProcessRef target, ProcessMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _target = target;
        _message = message;
        _timeout = timeout;
        _cancellationToken = cancellationToken;
    }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public override CancellationToken CancellationToken => _cancellationToken;

    /// <summary>Starts the timeout and watches the caller's token; call once, after the message was posted.</summary>
    public void Watch()
    {
        var cancellationToken = _cancellationToken;
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _timer = TimeProvider.System.CreateTimer(
                static state => ((AwaitedCall<TResult>)state!).OnTimeout(), this, _timeout, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((AwaitedCall<TResult>)state!).OnCancelled(token), this);
        }

        if (IsCompleted)
        {
            StopWatching(); // the reply won the race against the watchers being set up
        }
    }

    public ValueTask<TResult> AsValueTask() => new(this, _core.Version);

    public ValueTask AsValueTaskWithoutResult() => new(this, _core.Version);

    private protected override void Deliver(TResult result)
    {
        if (!TryComplete())
        {
            return;
        }

        if (_cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled: that wins, even over a reply the handler produced while the cancellation ran.
            _core.SetException(new OperationCanceledException(_cancellationToken));
            return;
        }

        _core.SetResult(result);
    }

    private protected override void DeliverFailure(Exception exception)
    {
        if (TryComplete())
        {
            _core.SetException(_cancellationToken.IsCancellationRequested ? new OperationCanceledException(_cancellationToken) : exception);
        }
    }

    TResult IValueTaskSource<TResult>.GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token) => _core.GetStatus(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void OnTimeout()
    {
        if (!TryComplete())
        {
            return;
        }

        var withdrawn = Withdraw();
        _core.SetException(_message.TimedOut(_target, _timeout, withdrawn));
    }

    private void OnCancelled(CancellationToken token)
    {
        if (TryComplete())
        {
            Withdraw();
            _core.SetException(new OperationCanceledException(token));
        }
    }

    private bool Withdraw()
    {
        var withdrawn = TryWithdraw();
        _target.Router.Withdraw(this);
        return withdrawn;
    }

    private bool TryComplete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        StopWatching();
        return true;
    }

    private void StopWatching()
    {
        _timer?.Dispose();
        _cancellation.Unregister();
    }
}
