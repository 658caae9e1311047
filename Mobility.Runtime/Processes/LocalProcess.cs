using System.Threading.Channels;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A process running on this node: its instance, its mailbox and the loop that handles one
/// message at a time, in arrival order, awaiting async handlers before the next message.
/// </summary>
internal sealed class LocalProcess : ProcessContext
{
    private readonly Channel<ProcessMessage> _mailbox = Channel.CreateUnbounded<ProcessMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly IProcessHost _host;
    private readonly List<string> _names = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Destination? _moveAsked;
    private bool _stopAsked;
    private bool _inHandler;
    private Task _loop = Task.CompletedTask;

    public LocalProcess(IProcessHost host, ProcessType type, ProcessId id, IMobileProcess instance)
    {
        _host = host;
        Type = type;
        Instance = instance;
        Self = type.CreateRef(id, host.NodeName, host.Router);
        instance.Attach(this);
    }

    public ProcessId Id => Self.Id;

    public ProcessType Type { get; }

    public ProcessRef Self { get; }

    public IMobileProcess Instance { get; }

    /// <summary>The names the process holds, in registration order. Read only from its own loop.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Completes when the loop has ended (stopped, failed to start, or moved away).</summary>
    public Task Completion => _loop;

    /// <summary>Enqueues a message; false once the process has stopped.</summary>
    public bool TryPost(ProcessMessage message) => _mailbox.Writer.TryWrite(message);

    /// <summary>
    /// Starts the loop. The returned task completes once the start hook (<c>OnStarted</c>, or
    /// <c>OnArrived</c> when <paramref name="arrival"/> is given) has run, and faults with its exception.
    /// </summary>
    public Task StartAsync(MigrationInfo? arrival, bool runStartedHook)
    {
        _loop = Task.Run(() => RunAsync(arrival, runStartedHook));
        return _started.Task;
    }

    /// <summary>Adopts names the process held before a restore (they are registered by the caller).</summary>
    public void AdoptNames(IEnumerable<string> names) => _names.AddRange(names);

    public override ProcessRef<T> GetSelf<T>() => (ProcessRef<T>)Self;

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
        RegisterName(name);
    }

    public override void Stop()
    {
        EnsureInHandler(nameof(Stop));
        _stopAsked = true;
    }

    private async Task RunAsync(MigrationInfo? arrival, bool runStartedHook)
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
            }
        }
        catch (Exception exception)
        {
            Log.StartHookFailed(_host.Logger, Self, exception);
            Terminate(stopRequest: null, runStoppingHook: false);
            _started.TrySetException(exception);
            return;
        }

        _started.TrySetResult();
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var message))
            {
                if (!message.TryStart())
                {
                    continue; // withdrawn by its sender (timeout or cancellation) before it started
                }

                if (!await HandleAsync(message).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <returns>False when the loop must end (the process stopped or moved away).</returns>
    private async ValueTask<bool> HandleAsync(ProcessMessage message)
    {
        switch (message)
        {
            case RegisterNameRequest request:
                try
                {
                    RegisterName(request.Name);
                    request.Complete(NoResult.Value);
                }
                catch (NameAlreadyRegisteredException exception)
                {
                    request.Fail(exception);
                }

                return true;

            case MoveRequest request:
                return !await TryMoveAsync(request.Destination, request).ConfigureAwait(false);

            case StopRequest request:
                Terminate(request, runStoppingHook: true);
                return false;

            case SnapshotRequest request:
                request.Complete(new ProcessSnapshot(Type.TypeId, Id, StateCodec.Write(Instance, _host.SerializerOptions), _names.ToArray()));
                return true;

            default:
                await DispatchAsync(message).ConfigureAwait(false);
                return await PerformAskedActionsAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask DispatchAsync(ProcessMessage message)
    {
        _inHandler = true;
        try
        {
            await Instance.DispatchAsync(message).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (message.IsCall)
            {
                Log.CallFailed(_host.Logger, Self, message.HandlerName, exception);
                message.Fail(exception);
            }
            else
            {
                Log.CastFailed(_host.Logger, Self, message.HandlerName, exception);
            }
        }
        finally
        {
            _inHandler = false;
        }
    }

    /// <summary>Performs what the handler asked for through <c>SendMe</c> and <c>Stop</c>, now that it has returned.</summary>
    private async ValueTask<bool> PerformAskedActionsAsync()
    {
        if (_moveAsked is { } destination)
        {
            _moveAsked = null;
            if (await TryMoveAsync(destination, request: null).ConfigureAwait(false))
            {
                return false;
            }
        }

        if (_stopAsked)
        {
            Terminate(stopRequest: null, runStoppingHook: true);
            return false;
        }

        return true;
    }

    /// <returns>True if the process now lives elsewhere.</returns>
    private async ValueTask<bool> TryMoveAsync(Destination destination, MoveRequest? request)
    {
        try
        {
            await _host.MoveAsync(this, destination).ConfigureAwait(false);
            request?.Complete(NoResult.Value);
            return true;
        }
        catch (MigrationFailedException exception)
        {
            Log.MigrationRolledBack(_host.Logger, Self, destination, exception.Reason, exception.Message);
            request?.Fail(exception);
            return false;
        }
    }

    private void RegisterName(string name)
    {
        if (_host.RegisterName(name, Self))
        {
            _names.Add(name);
        }
    }

    /// <summary>
    /// Ends the process: runs <c>OnStopping</c>, lets the node forget it, closes the mailbox and
    /// fails every message still in it, so that nothing sent to it is silently lost.
    /// </summary>
    private void Terminate(StopRequest? stopRequest, bool runStoppingHook)
    {
        if (runStoppingHook)
        {
            try
            {
                Instance.OnStopping();
            }
            catch (Exception exception)
            {
                Log.StopHookFailed(_host.Logger, Self, exception);
            }
        }

        _host.OnStopped(this);
        _mailbox.Writer.TryComplete();
        while (_mailbox.Reader.TryRead(out var pending))
        {
            if (pending.TryStart())
            {
                pending.Fail(ProcessStoppedException.For(Self));
            }
        }

        stopRequest?.Complete(NoResult.Value);
        Log.ProcessStopped(_host.Logger, Self);
    }

    private void EnsureInHandler(string member)
    {
        if (!_inHandler)
        {
            throw new InvalidOperationException(
                $"{member} was called on process {Self} outside its own handlers. The process performs {member} itself, " +
                "from a handler running in its loop; from outside, use the ProcessRef methods (SendMeAsync, RegisterAsync, StopAsync).");
        }
    }
}
