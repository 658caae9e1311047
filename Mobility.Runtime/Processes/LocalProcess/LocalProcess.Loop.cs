using System.Runtime.CompilerServices;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// The loop: it takes one message at a time (postponed events first, then released held ones, handed-back ones and
/// the mailbox, each through admission), runs it to the end, awaiting an async handler, and parks when nothing is
/// left. System messages (register, move, stop, snapshot, monitoring) are handled here; the rest go to the instance.
/// </summary>
internal sealed partial class LocalProcess
{
    private readonly Queue<Envelope> _ready = new(); // released by admission: held messages whose turn came
    private readonly Queue<Envelope> _front = new(); // handed back (travelled with the process, or a rollback's): taken before the mailbox

    private async Task RunAsync(MigrationInfo? arrival, bool runStartedHook, bool startedHere)
    {
        try
        {
            if (arrival is not null)
            {
                Instance.OnArrived(arrival);
            }
            else if (runStartedHook)
            {
                Instance.OnStarted();
                if (_machine is not null)
                {
                    EnterState(); // the initial state is entered once, at spawn; moving is not a state change
                }
            }
        }
        catch (Exception exception)
        {
            Log.StartHookFailed(_host.Logger, Self, exception);
            Terminate(stopReply: null, runStoppingHook: false, ExitInfo.From(exception));
            _started.TrySetException(exception);
            return;
        }

        if (arrival is not null)
        {
            AnnounceArrival();
        }

        _started.TrySetResult();
        if (startedHere)
        {
            // Messages are handled on the thread pool, never on the spawner's thread (nor its synchronization context).
            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }

        while (true)
        {
            if (TryTakeNext(out var envelope))
            {
                if (!envelope.TryStart())
                {
                    continue; // withdrawn by its sender (timeout or cancellation) before it started
                }

                var handling = HandleAsync(envelope);
                if (!(handling.IsCompletedSuccessfully ? handling.Result : await handling.ConfigureAwait(false)))
                {
                    return;
                }

                continue;
            }

            if (!await WaitForMessagesAsync().ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>
    /// The next message to handle: postponed events retried after a state change, released held ones, then
    /// handed-back ones, then the mailbox, in sequence order.
    /// </summary>
    private bool TryTakeNext(out Envelope envelope)
    {
        if (_retry.TryDequeue(out envelope) || _ready.TryDequeue(out envelope))
        {
            return true;
        }

        while (_front.TryDequeue(out envelope) || _mailbox.TryRead(out envelope))
        {
            if (Admit(ref envelope))
            {
                return true;
            }
        }

        return false;
    }

    /// <returns>False when the mailbox is closed and empty.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // the idle loop parks here after every burst: no box per wait
    private async ValueTask<bool> WaitForMessagesAsync()
    {
        if (_admission?.GapTimeLeft is not { } left)
        {
            return await _mailbox.WaitToReadAsync().ConfigureAwait(false);
        }

        if (left > TimeSpan.Zero)
        {
            using var deadline = new CancellationTokenSource(left);
            try
            {
                return await _mailbox.WaitToReadAsync(deadline.Token).ConfigureAwait(false) || _admission.HasHeld;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // The gap outlived its deadline: fall through and skip it.
            }
        }

        SkipGaps();
        return true;
    }

    /// <returns>False when the loop must end (the process stopped or moved away).</returns>
    private async ValueTask<bool> HandleAsync(Envelope envelope)
    {
        var reply = envelope.Reply;
        switch (envelope.Message)
        {
            case RegisterNameRequest request:
                try
                {
                    await ClaimAsync(request.Name).ConfigureAwait(false);
                    CallReply<NoResult>.Of(reply).SetResult(NoResult.Value);
                }
                catch (Exception exception) when (exception is NameAlreadyRegisteredException or IOException)
                {
                    envelope.Fail(exception);
                }

                return true;

            case MoveRequest request:
                return !await TryMoveAsync(request.Destination, reply).ConfigureAwait(false);

            case StopRequest:
                Terminate(stopReply: reply, runStoppingHook: true);
                return false;

            case MonitoringSignal or MonitorRequest or LinkRequest:
                return await HandleMonitoringAsync(envelope).ConfigureAwait(false);

            case SnapshotRequest:
                CallReply<ProcessSnapshot>.Of(reply).SetResult(
                    new ProcessSnapshot(Type.TypeId, Id, StateCodec.Write(Instance, _host.SerializerOptions), _names.ToArray()));
                return true;

            case var message:
                if (message is CastMessage cast && !_timers.Fired(cast))
                {
                    return true; // its timer was cancelled after it fired
                }

                var timersBefore = BeginStateMachineEvent();
                reply?.HoldReply();
                var handled = await DispatchAsync(envelope).ConfigureAwait(false);
                var postponed = false;
                if (_machine is not null)
                {
                    postponed = CompleteStateMachineStep(envelope, handled, timersBefore, out var enterFailure);
                    if (enterFailure is not null && handled && !postponed)
                    {
                        envelope.Fail(enterFailure);
                        handled = false;
                    }
                }

                var (keepRunning, failure) = NothingAsked ? (true, null) : await PerformAskedActionsAsync(envelope).ConfigureAwait(false);
                if (postponed)
                {
                    return keepRunning; // its reply, if it is a call, comes when it is handled for good
                }

                if (failure is not null)
                {
                    envelope.Fail(failure);
                }
                else if (handled)
                {
                    reply?.ReleaseReply();
                }

                return keepRunning;
        }
    }

    /// <returns>False if the handler threw (the call has failed already).</returns>
    private ValueTask<bool> DispatchAsync(Envelope envelope)
    {
        _inHandler = true;
        ValueTask dispatched;
        try
        {
            dispatched = Instance.DispatchAsync(envelope.Message, envelope.Reply);
            if (dispatched.IsCompletedSuccessfully)
            {
                dispatched.GetAwaiter().GetResult(); // a synchronous handler: no state machine to go through
                _inHandler = false;
                return new ValueTask<bool>(true);
            }
        }
        catch (Exception exception)
        {
            _inHandler = false;
            return new ValueTask<bool>(HandlerFailed(envelope, exception));
        }

        return AwaitHandlerAsync(dispatched, envelope);
    }

    private async ValueTask<bool> AwaitHandlerAsync(ValueTask dispatched, Envelope envelope)
    {
        try
        {
            await dispatched.ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            return HandlerFailed(envelope, exception);
        }
        finally
        {
            _inHandler = false;
        }
    }

    /// <summary>Fails the call (or logs the cast) whose handler threw.</summary>
    /// <returns>Always false: the message was not handled.</returns>
    private bool HandlerFailed(Envelope envelope, Exception exception)
    {
        var message = envelope.Message;
        if (exception is UnhandledEventException && !message.IsCall)
        {
            Log.UnhandledCastDropped(_host.Logger, Self, message.HandlerName, exception.Message);
            return false;
        }

        var crashed = CrashOn(envelope.Reply, message.HandlerName, exception); // if so, the loop stops the process once this call has failed
        if (message.IsCall)
        {
            Log.CallFailed(_host.Logger, Self, message.HandlerName, exception);
            envelope.Fail(exception);
        }
        else if (!crashed)
        {
            Log.CastFailed(_host.Logger, Self, message.HandlerName, exception);
        }

        return false;
    }
}
