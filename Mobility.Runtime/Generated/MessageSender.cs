using System.ComponentModel;
using Mobility.Processes;

namespace Mobility.Generated;

/// <summary>Entry points of the generated <see cref="ProcessRef{T}"/> extension methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MessageSender
{
    /// <summary>Sends a call and awaits its reply, within the reference's call timeout.</summary>
    /// <exception cref="TimeoutException">No reply in time; the call is withdrawn if it had not started.</exception>
    /// <exception cref="ProcessStoppedException">The process is not running, or stopped before handling the call.</exception>
    public static ValueTask<TResult> CallAsync<TResult>(ProcessRef target, CallMessage<TResult> message, CancellationToken cancellationToken) =>
        Send(target, message, timeout: null, cancellationToken, out var call) is { } failure ? ValueTask.FromException<TResult>(failure) : call!.AsValueTask();

    /// <summary>Sends a call whose handler returns nothing and awaits its completion.</summary>
    /// <inheritdoc cref="CallAsync{TResult}(ProcessRef, CallMessage{TResult}, CancellationToken)" path="/exception"/>
    public static ValueTask CallWithoutResultAsync(ProcessRef target, CallMessage<NoResult> message, CancellationToken cancellationToken) =>
        Send(target, message, timeout: null, cancellationToken, out var call) is { } failure ? ValueTask.FromException(failure) : call!.AsValueTaskWithoutResult();

    /// <summary>
    /// The one request/reply path, for the runtime's own calls too (register, move, stop, monitor): sends
    /// <paramref name="message"/> and awaits its reply within <paramref name="timeout"/>.
    /// </summary>
    /// <inheritdoc cref="CallAsync{TResult}(ProcessRef, CallMessage{TResult}, CancellationToken)" path="/exception"/>
    internal static ValueTask<TResult> CallAsync<TResult>(ProcessRef target, CallMessage<TResult> message, TimeSpan timeout, CancellationToken cancellationToken) =>
        Send(target, message, timeout, cancellationToken, out var call) is { } failure ? ValueTask.FromException<TResult>(failure) : call!.AsValueTask();

    /// <summary>Enqueues a cast and returns at once.</summary>
    /// <exception cref="ProcessStoppedException">The process is known to have stopped.</exception>
    public static void Cast(ProcessRef target, CastMessage message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Router.Post(target, new Envelope(message));
    }

    /// <summary>The exception generated dispatch throws for a handler id its type does not have.</summary>
    public static InvalidDataException UnknownHandler(string typeId, int handlerId) =>
        new($"Process type '{typeId}' has no handler with id {handlerId}: the sender runs a different version of this type.");

    /// <returns>The exception that kept the call from being sent, if any.</returns>
    private static Exception? Send<TResult>(ProcessRef target, CallMessage<TResult> message, TimeSpan? timeout, CancellationToken cancellationToken, out AwaitedCall<TResult>? call)
    {
        ArgumentNullException.ThrowIfNull(target);
        call = null;
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellationToken);
        }

        IProcessRouter router;
        try
        {
            router = target.Router;
            call = new AwaitedCall<TResult>(target, message, timeout ?? target.CallTimeout ?? router.DefaultCallTimeout, cancellationToken);
            router.Post(target, new Envelope(message, call));
        }
        catch (Exception exception) when (exception is ProcessStoppedException or InvalidOperationException)
        {
            call = null;
            return exception;
        }

        call.Watch();
        return null;
    }
}
