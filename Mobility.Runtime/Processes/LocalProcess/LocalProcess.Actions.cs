using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// What a handler asks for (<c>Register</c>, <c>SendMe</c>, <c>Stop</c>) is only noted while it runs; the loop
/// performs it once the handler has returned, before the handler's reply is released. The system messages that ask
/// the same from outside (<c>RegisterAsync</c>, <c>SendMeAsync</c>) are performed with the same steps.
/// </summary>
internal sealed partial class LocalProcess
{
    private List<string>? _namesAsked;
    private Destination? _moveAsked;
    private bool _stopAsked;
    private ExitInfo? _stopReason; // the reason a Stop(exception) or a crash gave: the exit its watchers hear of

    public override void SendMe(Destination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        EnsureInHandler(nameof(SendMe));
        _moveAsked = destination;
    }

    public override void Register(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        EnsureInHandler(nameof(Register));
        (_namesAsked ??= []).Add(name);
    }

    public override void Stop()
    {
        EnsureInHandler(nameof(Stop));
        _stopAsked = true;
    }

    public override void Stop(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        EnsureInHandler(nameof(Stop));
        _stopAsked = true;
        _stopReason = ExitInfo.From(reason);
    }

    /// <summary>Whether the last handler asked for nothing to be done after it (the common case).</summary>
    private bool NothingAsked => _namesAsked is null && _moveAsked is null && !_stopAsked;

    /// <summary>
    /// Performs what the handler asked for (<c>Register</c>, <c>SendMe</c>, <c>Stop</c>) now that it has returned,
    /// before its reply is released: a call that asked for something that failed fails with that reason.
    /// </summary>
    private async ValueTask<(bool KeepRunning, Exception? Failure)> PerformAskedActionsAsync(Envelope envelope)
    {
        var message = envelope.Message;
        Exception? failure = null;
        if (_namesAsked is { } names)
        {
            _namesAsked = null;
            foreach (var name in names)
            {
                try
                {
                    await ClaimAsync(name).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is NameAlreadyRegisteredException or IOException)
                {
                    failure ??= exception;
                    if (!message.IsCall)
                    {
                        Log.AskedActionFailed(_host.Logger, Self, message.HandlerName, exception);
                    }
                }
            }
        }

        if (_moveAsked is { } destination)
        {
            _moveAsked = null;
            try
            {
                if (await MoveAsync(destination).ConfigureAwait(false))
                {
                    return (false, failure);
                }
            }
            catch (MigrationFailedException exception)
            {
                failure ??= exception;
            }
        }

        if (_stopAsked)
        {
            envelope.Reply?.ReleaseReply();
            Terminate(stopReply: null, runStoppingHook: true);
            return (false, failure);
        }

        return (true, failure);
    }

    /// <returns>True if the process now lives elsewhere.</returns>
    private async ValueTask<bool> TryMoveAsync(Destination destination, CallReply? reply)
    {
        try
        {
            var moved = await MoveAsync(destination).ConfigureAwait(false);
            CallReply<NoResult>.Of(reply).SetResult(NoResult.Value);
            return moved;
        }
        catch (MigrationFailedException exception)
        {
            reply?.Fail(exception);
            return false;
        }
    }

    /// <exception cref="MigrationFailedException">The move rolled back; the process resumes here.</exception>
    private async ValueTask<bool> MoveAsync(Destination destination)
    {
        try
        {
            Instance.OnLeaving(new MigrationInfo(_host.NodeName, destination));
        }
        catch (Exception exception)
        {
            throw new MigrationFailedException(MigrationFailureReason.Refused, $"OnLeaving of process {Self} threw: {exception.Message}", exception);
        }

        var capture = CaptureForMove();
        try
        {
            await _host.MoveAsync(this, destination, capture).ConfigureAwait(false);
        }
        catch (MigrationFailedException exception)
        {
            ResumeAfterRollback(capture);
            Log.MigrationRolledBack(_host.Logger, Self, destination, exception.Reason, exception.Message);
            throw;
        }

        // Committed: the node routes to the destination now. What reached the mailbox meanwhile follows the process.
        _mailbox.TryComplete();
        var stragglers = new List<Envelope>();
        while (_mailbox.TryRead(out var straggler))
        {
            stragglers.Add(straggler);
        }

        _host.ForwardAfterMove(this, stragglers);
        return true;
    }

    private async Task ClaimAsync(string name)
    {
        if (await _host.ClaimNameAsync(name, this).ConfigureAwait(false))
        {
            _names.Add(name);
        }
    }
}
