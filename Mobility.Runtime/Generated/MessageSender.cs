using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>Entry points of the generated <see cref="ProcessRef{T}"/> extension methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MessageSender
{
    /// <summary>Sends a call and awaits its reply, within the reference's call timeout.</summary>
    /// <exception cref="TimeoutException">No reply in time; the call is withdrawn if it had not started.</exception>
    /// <exception cref="ProcessStoppedException">The process is not running, or stopped before handling the call.</exception>
    public static ValueTask<TResult> CallAsync<TResult>(ProcessRef target, CallMessage<TResult> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var reply = new LocalReply<TResult>();
        message.Prepare(reply, cancellationToken);
        IProcessRouter router;
        try
        {
            router = target.Router;
            router.Post(target, message);
        }
        catch (Exception exception) when (exception is ProcessStoppedException or InvalidOperationException)
        {
            return ValueTask.FromException<TResult>(exception);
        }

        var timeout = target.CallTimeout ?? router.DefaultCallTimeout;
        return reply.Task.IsCompleted
            ? new ValueTask<TResult>(reply.Task)
            : new ValueTask<TResult>(AwaitReplyAsync(target, message, reply.Task, timeout, cancellationToken));
    }

    /// <summary>Sends a call whose handler returns nothing and awaits its completion.</summary>
    /// <inheritdoc cref="CallAsync{TResult}" path="/exception"/>
    public static async ValueTask CallWithoutResultAsync(ProcessRef target, CallMessage<NoResult> message, CancellationToken cancellationToken) =>
        await CallAsync(target, message, cancellationToken).ConfigureAwait(false);

    /// <summary>Enqueues a cast and returns at once.</summary>
    /// <exception cref="ProcessStoppedException">The process is known to have stopped.</exception>
    public static void Cast(ProcessRef target, CastMessage message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Router.Post(target, message);
    }

    /// <summary>The exception generated dispatch throws for a handler id its type does not have.</summary>
    public static InvalidDataException UnknownHandler(string typeId, int handlerId) =>
        new($"Process type '{typeId}' has no handler with id {handlerId}: the sender runs a different version of this type.");

    private static async Task<TResult> AwaitReplyAsync<TResult>(
        ProcessRef target, ProcessMessage message, Task<TResult> reply, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await reply.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!reply.IsCompleted)
        {
            var withdrawn = message.TryWithdraw();
            target.Router.Withdraw(message);
            throw new TimeoutException(
                $"Call '{message.HandlerName}' to process {target} got no reply within {timeout.TotalSeconds:0.###} s " +
                (withdrawn ? "and was withdrawn before it started." : "; it is still running and its late reply will be dropped.") +
                " Raise the timeout with ProcessRef<T>.WithCallTimeout or MobilityOptions.CallTimeout if the handler is slow by design.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !reply.IsCompleted)
        {
            message.TryWithdraw();
            target.Router.Withdraw(message);
            throw;
        }
    }
}

/// <summary>The reply of a call to a caller on this node.</summary>
internal sealed class LocalReply<TResult>() : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), IReplyTarget<TResult>
{
    void IReplyTarget<TResult>.SetResult(TResult result) => TrySetResult(result);

    void IReplyTarget<TResult>.SetException(Exception exception) => TrySetException(exception);
}
