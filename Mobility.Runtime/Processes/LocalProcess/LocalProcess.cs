using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// A process running on this node: its instance, its mailbox and the loop that handles one message at a
/// time, awaiting async handlers before the next message. Messages carry their origin's sequence numbers:
/// the loop takes each origin's messages in that order (holding back early ones, dropping duplicates), so
/// per-sender order survives forwarding and migration.
/// </summary>
/// <remarks>
/// Partials by concern, all in this folder: this file holds its identity, its mailbox, its start and its end;
/// <c>.Loop</c> the loop and the dispatch of each message; <c>.Admission</c> the glue to its
/// <see cref="SequenceAdmission{TMessage}"/>; <c>.StateMachine</c> the driver of a state machine's transitions;
/// <c>.Actions</c> what a handler asks for (<c>Register</c>, <c>SendMe</c>, <c>Stop</c>) and how the loop performs it;
/// <c>.Travel</c> what a move takes along and gives back; <c>.Timers</c> its timers and timeouts; <c>.Monitoring</c>
/// its monitors and links; <c>.Crash</c> "let it crash".
/// </remarks>
internal sealed partial class LocalProcess : ProcessContext
{
    private readonly Mailbox _mailbox = new();

    private readonly IProcessHost _host;
    private readonly List<string> _names = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _inHandler;
    private Task _loop = Task.CompletedTask;

    public LocalProcess(IProcessHost host, ProcessType type, ProcessId id, IMobileProcess instance)
    {
        _host = host;
        Type = type;
        Instance = instance;
        Self = type.CreateRef(id, host.NodeName, host.Router);
        _timers = new ProcessTimers(host.Time, cast => TryPost(new Envelope(cast)));
        _machine = instance as IStateMachineProcess;
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

    /// <summary>Whether its loop runs (false for a process received in a migration and not committed yet).</summary>
    public bool IsRunning => _started.Task.IsCompletedSuccessfully && !_loop.IsCompleted;

    /// <summary>Enqueues a message; false once the process has stopped or moved away.</summary>
    public bool TryPost(Envelope envelope) => _mailbox.TryWrite(envelope);

    /// <summary>
    /// Numbers <paramref name="envelope"/> from <paramref name="lastSequence"/> and enqueues it in one step, so messages
    /// numbered this way are enqueued in the order of their numbers. The envelope is numbered even when the mailbox
    /// is closed (false): the caller then sends it on with that number.
    /// </summary>
    public bool TryPostNumbered(ref Envelope envelope, ref long lastSequence) => _mailbox.TryWrite(ref envelope, ref lastSequence);

    /// <summary>
    /// Starts the loop. The returned task completes once the start hook (<c>OnStarted</c>, or
    /// <c>OnArrived</c> when <paramref name="arrival"/> is given) has run, and faults with its exception.
    /// </summary>
    /// <param name="arrival">The move that brought the process here, or null for a spawn.</param>
    /// <param name="runStartedHook">Whether <c>OnStarted</c> runs (a spawn, not a restore).</param>
    /// <param name="startHere">
    /// Runs the start hook on the calling thread, and the loop from the thread pool afterwards: for a new process,
    /// whose mailbox nobody can have written to yet, so that its spawner need not wait for a thread to take it up.
    /// </param>
    public Task StartAsync(MigrationInfo? arrival, bool runStartedHook, bool startHere = false)
    {
        _loop = startHere ? RunAsync(arrival, runStartedHook, startedHere: true) : Task.Run(() => RunAsync(arrival, runStartedHook, startedHere: false));
        return _started.Task;
    }

    public override ProcessRef<T> GetSelf<T>() => (ProcessRef<T>)Self;

    /// <summary>
    /// Ends the process: runs <c>OnStopping</c>, lets the node forget it, closes the mailbox and fails every
    /// message still waiting, so that nothing sent to it is silently lost.
    /// </summary>
    /// <param name="stopReply">The reply of the stop request that ends it, if one does.</param>
    /// <param name="runStoppingHook">Whether <c>OnStopping</c> runs.</param>
    /// <param name="exit">Why it exits, if not normally.</param>
    private void Terminate(CallReply? stopReply, bool runStoppingHook, ExitInfo? exit = null)
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

        _timers.Clear();
        NotifyExit(exit ?? _stopReason ?? ExitInfo.Normal); // while the node still knows where the process came from
        _host.OnStopped(this);
        _mailbox.TryComplete();
        var pending = new List<Envelope>(_retry);
        pending.AddRange(_postponed);
        pending.AddRange(_ready);
        pending.AddRange(_front);
        _admission?.TakeHeld(pending);
        _retry.Clear();
        _postponed.Clear();
        _ready.Clear();
        _front.Clear();
        while (_mailbox.TryRead(out var envelope))
        {
            pending.Add(envelope);
        }

        foreach (var envelope in pending)
        {
            if (envelope.TryStart())
            {
                envelope.Fail(ProcessStoppedException.For(Self));
            }
        }

        if (stopReply is not null)
        {
            CallReply<NoResult>.Of(stopReply).SetResult(NoResult.Value);
        }
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
