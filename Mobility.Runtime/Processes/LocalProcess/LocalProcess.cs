using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A process running on this node: its instance, its mailbox and the loop that handles one message at a
/// time, awaiting async handlers before the next message. Messages carry their origin's sequence numbers:
/// the loop takes each origin's messages in that order (holding back early ones, dropping duplicates), so
/// per-sender order survives forwarding and migration.
/// </summary>
internal sealed partial class LocalProcess : ProcessContext
{
    private readonly Mailbox _mailbox = new();

    private readonly IProcessHost _host;
    private readonly List<string> _names = [];
    private readonly Queue<ProcessMessage> _ready = new();
    private readonly Queue<ProcessMessage> _front = new();
    // Created with the first sequenced message, and the first one that arrives early: an idle process has neither.
    private Dictionary<string, long>? _expected;
    // The origin of the latest sequenced message and its next number: messages come in runs from one origin, so most
    // are admitted without a lookup. While set, its entry in _expected is stale (CoolDown writes it back).
    private string? _hotOrigin;
    private long _hotNext;
    private Dictionary<string, SortedList<long, ProcessMessage>>? _held;
    private readonly ProcessTimers _timers;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IStateMachineProcess? _machine;
    private readonly Queue<ProcessMessage> _retry = new();
    private readonly List<ProcessMessage> _postponed = [];
    private bool _postponeAsked;
    private bool _inEnter;
    private bool _inSignal; // running OnDown or OnExit
    private long _heldSinceTicks;
    private List<string>? _namesAsked;
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
        _timers = new ProcessTimers(host.Time, TryPost);
        _machine = instance as IStateMachineProcess;
        instance.Attach(this);
    }

    public ProcessId Id => Self.Id;

    public ProcessType Type { get; }

    public ProcessRef Self { get; }

    public IMobileProcess Instance { get; }

    /// <summary>The names the process holds, in registration order. Read only from its own loop.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The next number expected from each origin (up to date: the hot origin written back).</summary>
    private Dictionary<string, long> Expected
    {
        get
        {
            CoolDown();
            return _expected ??= new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }

    /// <summary>Completes when the loop has ended (stopped, failed to start, or moved away).</summary>
    public Task Completion => _loop;

    /// <summary>Whether its loop runs (false for a process received in a migration and not committed yet).</summary>
    public bool IsRunning => _started.Task.IsCompletedSuccessfully && !_loop.IsCompleted;

    /// <summary>Enqueues a message; false once the process has stopped or moved away.</summary>
    public bool TryPost(ProcessMessage message) => _mailbox.TryWrite(message);

    /// <summary>
    /// Numbers <paramref name="message"/> from <paramref name="lastSequence"/> and enqueues it in one step, so messages
    /// numbered this way are enqueued in the order of their numbers. The message is numbered even when the mailbox
    /// is closed (false): the caller then sends it on with that number.
    /// </summary>
    public bool TryPostNumbered(ProcessMessage message, ref long lastSequence) => _mailbox.TryWrite(message, ref lastSequence);

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

    /// <summary>
    /// Before the loop starts, gives a restored process what travelled with it: its names, sequence
    /// positions, unhandled messages (taken first, in order), timers and, for a state machine, the events it
    /// postponed (retried at its next state change).
    /// </summary>
    public void AdoptTravellers(
        IEnumerable<string> names,
        IEnumerable<KeyValuePair<string, long>> expected,
        IEnumerable<ProcessMessage> queue,
        IEnumerable<PendingTimer> timers,
        IEnumerable<ProcessMessage>? postponed = null)
    {
        _names.AddRange(names);
        foreach (var (origin, next) in expected)
        {
            Expected[origin] = next;
        }

        foreach (var message in queue)
        {
            _front.Enqueue(message);
        }

        foreach (var timer in timers)
        {
            _timers.Arm(timer);
        }

        if (postponed is not null)
        {
            _postponed.AddRange(postponed);
        }
    }

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
        (_namesAsked ??= []).Add(name);
    }

    public override void Stop()
    {
        EnsureInHandler(nameof(Stop));
        _stopAsked = true;
    }

    public override TimerId SendAfter<T>(TimeSpan delay, Action<ProcessRef<T>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        EnsureInHandler(nameof(SendAfter));
        var capture = new CapturingRouter(_host.Router);
        send(new ProcessRef<T>(Id, _host.NodeName, capture));
        var message = capture.Single(Self);
        return _timers.Add(_host.Time.GetUtcNow() + delay, message);
    }

    public override bool CancelTimer(TimerId timer)
    {
        EnsureInHandler(nameof(CancelTimer));
        return _timers.Cancel(timer);
    }

    public override void SetTimeout<T>(TimeoutKind kind, string? name, TimeSpan delay, Action<ProcessRef<T>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (kind == TimeoutKind.Named)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
        }

        EnsureInHandler($"Set{(kind == TimeoutKind.Named ? string.Empty : kind.ToString())}Timeout");
        var capture = new CapturingRouter(_host.Router);
        send(new ProcessRef<T>(Id, _host.NodeName, capture));
        _timers.Add(_host.Time.GetUtcNow() + delay, capture.Single(Self), kind, kind == TimeoutKind.Named ? name : null);
    }

    public override bool CancelTimeout(TimeoutKind kind, string? name)
    {
        EnsureInHandler($"Cancel{(kind == TimeoutKind.Named ? string.Empty : kind.ToString())}Timeout");
        return _timers.Cancel(kind, name);
    }

    public override void Postpone()
    {
        EnsureCanTransition(nameof(Postpone));
        _postponeAsked = true;
    }

    public override void EnsureCanTransition(string member)
    {
        EnsureInHandler(member);
        if (_inEnter)
        {
            throw new InvalidOperationException(
                $"{member} was called in a [StateEnter] method of process {Self}. Enter callbacks run after a transition and may set " +
                "timeouts; only event handlers change the state or postpone events.");
        }

        if (_inSignal && member == nameof(Postpone))
        {
            throw new InvalidOperationException(
                $"Postpone was called in OnDown or OnExit of process {Self}. A Down or an exit signal cannot be postponed: " +
                "record it in the state and act on it after the next state change (OnDown and OnExit may call NextState).");
        }
    }

    /// <summary>Freezes the process for a move: everything that must travel, taken out of the loop's queues.</summary>
    public MoveCapture CaptureForMove()
    {
        var queue = new List<ProcessMessage>(_retry.Count + _ready.Count + _front.Count);
        queue.AddRange(_retry);
        _retry.Clear();
        queue.AddRange(_ready);
        queue.AddRange(_front);
        _ready.Clear();
        _front.Clear();
        while (_mailbox.TryRead(out var message))
        {
            queue.Add(message);
        }

        if (_held is not null)
        {
            foreach (var held in _held.Values)
            {
                queue.AddRange(held.Values);
            }

            _held.Clear();
        }
        queue.RemoveAll(_timers.IsStale); // cancelled timeouts that fired: they would be dropped here, and must be there
        var postponed = _postponed.ToArray();
        _postponed.Clear();
        return new MoveCapture(
            [.. _names],
            new Dictionary<string, long>(Expected, StringComparer.Ordinal),
            queue,
            _timers.Pause(),
            postponed,
            CaptureMonitoring());
    }

    /// <summary>The move rolled back: the process takes its queue back, in order, and its timers run again.</summary>
    public void ResumeAfterRollback(MoveCapture capture)
    {
        foreach (var message in capture.Queue)
        {
            _front.Enqueue(message);
        }

        _postponed.AddRange(capture.Postponed);
        _timers.Resume();
    }

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
            Terminate(stopRequest: null, runStoppingHook: false, ExitInfo.From(exception));
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
            if (TryTakeNext(out var message))
            {
                if (!message.TryStart())
                {
                    continue; // withdrawn by its sender (timeout or cancellation) before it started
                }

                var handling = HandleAsync(message);
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
    private bool TryTakeNext(out ProcessMessage message)
    {
        if (_retry.TryDequeue(out message!) || _ready.TryDequeue(out message!))
        {
            return true;
        }

        while (_front.TryDequeue(out message!) || _mailbox.TryRead(out message!))
        {
            if (Admit(message))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Lets a message through if it is the next of its origin (or not sequenced); holds it back if an earlier
    /// one is missing; drops it if it was handled already. Admitted messages lose their sequence, so a capture
    /// taken before they run does not count them twice.
    /// </summary>
    private bool Admit(ProcessMessage message)
    {
        if (message.Origin is not { } origin || message.Sequence == 0)
        {
            return true;
        }

        if (!ReferenceEquals(origin, _hotOrigin))
        {
            HeatUp(origin);
        }

        ref var next = ref _hotNext;
        if (message.Sequence == next)
        {
            next++;
            message.Origin = null;
            ReleaseHeld(origin, ref next);
            return true;
        }

        if (message.Sequence < next)
        {
            Log.DuplicateDropped(_host.Logger, Self, message.HandlerName, origin, message.Sequence);
            return false;
        }

        _held ??= new Dictionary<string, SortedList<long, ProcessMessage>>(StringComparer.Ordinal);
        if (!_held.TryGetValue(origin, out var held))
        {
            _held[origin] = held = [];
        }

        if (_held.Count == 1 && held.Count == 0)
        {
            _heldSinceTicks = Environment.TickCount64;
        }

        held.TryAdd(message.Sequence, message);
        return false;
    }

    /// <summary>Makes <paramref name="origin"/> the hot origin, writing the previous one back.</summary>
    private void HeatUp(string origin)
    {
        CoolDown();
        _expected ??= new Dictionary<string, long>(StringComparer.Ordinal);
        _hotNext = _expected.TryGetValue(origin, out var next) ? next : 1;
        _hotOrigin = origin;
    }

    private void CoolDown()
    {
        if (_hotOrigin is { } hot)
        {
            _expected![hot] = _hotNext;
            _hotOrigin = null;
        }
    }

    private void ReleaseHeld(string origin, ref long next)
    {
        if (_held is null || !_held.TryGetValue(origin, out var held))
        {
            return;
        }

        while (held.Remove(next, out var successor))
        {
            successor.Origin = null;
            _ready.Enqueue(successor);
            next++;
        }

        if (held.Count == 0)
        {
            _held.Remove(origin);
        }
    }

    /// <returns>False when the mailbox is closed and empty.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // the idle loop parks here after every burst: no box per wait
    private async ValueTask<bool> WaitForMessagesAsync()
    {
        if (_held is not { Count: > 0 } heldBack)
        {
            return await _mailbox.WaitToReadAsync().ConfigureAwait(false);
        }

        var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - _heldSinceTicks);
        var left = _host.SequenceGapTimeout - waited;
        if (left > TimeSpan.Zero)
        {
            using var deadline = new CancellationTokenSource(left);
            try
            {
                return await _mailbox.WaitToReadAsync(deadline.Token).ConfigureAwait(false) || heldBack.Count > 0;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                // The gap outlived its deadline: fall through and skip it.
            }
        }

        foreach (var (origin, held) in heldBack.ToArray())
        {
            var next = held.Keys[0];
            Log.SequenceGapSkipped(_host.Logger, Self, origin, Expected.GetValueOrDefault(origin, 1), next - 1);
            Expected[origin] = next;
            ReleaseHeld(origin, ref CollectionsMarshal.GetValueRefOrNullRef(Expected, origin));
        }

        return true;
    }

    /// <returns>False when the loop must end (the process stopped or moved away).</returns>
    private async ValueTask<bool> HandleAsync(ProcessMessage message)
    {
        switch (message)
        {
            case RegisterNameRequest request:
                try
                {
                    await ClaimAsync(request.Name).ConfigureAwait(false);
                    request.SetResult(NoResult.Value);
                }
                catch (Exception exception) when (exception is NameAlreadyRegisteredException or IOException)
                {
                    request.Fail(exception);
                }

                return true;

            case MoveRequest request:
                return !await TryMoveAsync(request.Destination, request).ConfigureAwait(false);

            case StopRequest request:
                Terminate(request, runStoppingHook: true);
                return false;

            case MonitoringSignal or MonitorRequest or LinkRequest:
                return await HandleMonitoringAsync(message).ConfigureAwait(false);

            case SnapshotRequest request:
                request.SetResult(new ProcessSnapshot(Type.TypeId, Id, StateCodec.Write(Instance, _host.SerializerOptions), _names.ToArray()));
                return true;

            default:
                if (message is CastMessage cast && !_timers.Fired(cast))
                {
                    return true; // its timer was cancelled after it fired
                }

                var timersBefore = BeginStateMachineEvent();
                message.HoldReply();
                var handled = await DispatchAsync(message).ConfigureAwait(false);
                var postponed = false;
                if (_machine is not null)
                {
                    postponed = CompleteStateMachineStep(message, handled, timersBefore, out var enterFailure);
                    if (enterFailure is not null && handled && !postponed)
                    {
                        message.Fail(enterFailure);
                        handled = false;
                    }
                }

                var (keepRunning, failure) = NothingAsked ? (true, null) : await PerformAskedActionsAsync(message).ConfigureAwait(false);
                if (postponed)
                {
                    return keepRunning; // its reply, if it is a call, comes when it is handled for good
                }

                if (failure is not null)
                {
                    message.Fail(failure);
                }
                else if (handled)
                {
                    message.ReleaseReply();
                }

                return keepRunning;
        }
    }

    /// <returns>False if the handler threw (the call has failed already).</returns>
    private ValueTask<bool> DispatchAsync(ProcessMessage message)
    {
        _inHandler = true;
        ValueTask dispatched;
        try
        {
            dispatched = Instance.DispatchAsync(message);
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
            return new ValueTask<bool>(HandlerFailed(message, exception));
        }

        return AwaitHandlerAsync(dispatched, message);
    }

    private async ValueTask<bool> AwaitHandlerAsync(ValueTask dispatched, ProcessMessage message)
    {
        try
        {
            await dispatched.ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            return HandlerFailed(message, exception);
        }
        finally
        {
            _inHandler = false;
        }
    }

    /// <summary>Fails the call (or logs the cast) whose handler threw.</summary>
    /// <returns>Always false: the message was not handled.</returns>
    private bool HandlerFailed(ProcessMessage message, Exception exception)
    {
        if (exception is UnhandledEventException && !message.IsCall)
        {
            Log.UnhandledCastDropped(_host.Logger, Self, message.HandlerName, exception.Message);
            return false;
        }

        var crashed = CrashOn(message, message.HandlerName, exception); // if so, the loop stops the process once this call has failed
        if (message.IsCall)
        {
            Log.CallFailed(_host.Logger, Self, message.HandlerName, exception);
            message.Fail(exception);
        }
        else if (!crashed)
        {
            Log.CastFailed(_host.Logger, Self, message.HandlerName, exception);
        }

        return false;
    }

    /// <summary>
    /// Before a state machine handles an event (a handler's message, or a Down or exit signal): any event cancels the
    /// event timeout (its own firing is gone already).
    /// </summary>
    /// <returns>The number of the newest timer, to tell the timeouts the event's handler sets from older ones.</returns>
    private long BeginStateMachineEvent()
    {
        if (_machine is not null)
        {
            _timers.Cancel(TimeoutKind.Event, name: null);
        }

        return _timers.LastId;
    }

    /// <summary>
    /// After a state machine's handler: keeps the event if it was postponed, then applies the transition it asked
    /// for (<see cref="CompleteTransition"/>).
    /// </summary>
    /// <returns>True if the event was postponed.</returns>
    private bool CompleteStateMachineStep(ProcessMessage message, bool handled, long timersBefore, out Exception? enterFailure)
    {
        var postpone = _postponeAsked && handled;
        _postponeAsked = false;
        if (postpone)
        {
            message.DiscardReply();
            message.ReturnToPending();
            _postponed.Add(message);
        }

        enterFailure = CompleteTransition(message, handled, timersBefore);
        return postpone;
    }

    /// <summary>
    /// Applies the transition an event's handler asked for (or forgets it, when <paramref name="apply"/> is false).
    /// If the state changed: cancels the state timeout started before the event (one the handler set belongs to
    /// the new state, as in gen_statem), runs the enter callbacks and puts the postponed events back in front of
    /// everything else, in their original order.
    /// </summary>
    /// <returns>The exception an enter callback threw, if one did (logged already).</returns>
    private Exception? CompleteTransition(ProcessMessage? message, bool apply, long timersBefore)
    {
        if (!_machine!.CompleteTransition(apply))
        {
            return null;
        }

        _timers.Cancel(TimeoutKind.State, name: null, startedUpTo: timersBefore);
        Exception? enterFailure = null;
        try
        {
            EnterState();
        }
        catch (Exception exception)
        {
            if (!CrashOn(message, $"the enter callback of state {_machine.StateName}", exception))
            {
                Log.StateEnterFailed(_host.Logger, Self, _machine.StateName, exception);
            }

            enterFailure = exception;
        }

        if (_postponed.Count > 0)
        {
            var rest = _retry.ToArray();
            _retry.Clear();
            foreach (var again in _postponed)
            {
                _retry.Enqueue(again);
            }

            foreach (var again in rest)
            {
                _retry.Enqueue(again);
            }

            _postponed.Clear();
        }

        return enterFailure;
    }

    /// <summary>Runs the state machine's enter callbacks for its current state: they may set timeouts, not transition.</summary>
    private void EnterState()
    {
        _inHandler = true;
        _inEnter = true;
        try
        {
            _machine!.EnterState();
        }
        finally
        {
            _inEnter = false;
            _inHandler = false;
        }
    }

    /// <summary>Whether the last handler asked for nothing to be done after it (the common case).</summary>
    private bool NothingAsked => _namesAsked is null && _moveAsked is null && !_stopAsked;

    /// <summary>
    /// Performs what the handler asked for (<c>Register</c>, <c>SendMe</c>, <c>Stop</c>) now that it has returned,
    /// before its reply is released: a call that asked for something that failed fails with that reason.
    /// </summary>
    private async ValueTask<(bool KeepRunning, Exception? Failure)> PerformAskedActionsAsync(ProcessMessage message)
    {
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
            message.ReleaseReply();
            Terminate(stopRequest: null, runStoppingHook: true);
            return (false, failure);
        }

        return (true, failure);
    }

    /// <returns>True if the process now lives elsewhere.</returns>
    private async ValueTask<bool> TryMoveAsync(Destination destination, MoveRequest? request)
    {
        try
        {
            var moved = await MoveAsync(destination).ConfigureAwait(false);
            request?.SetResult(NoResult.Value);
            return moved;
        }
        catch (MigrationFailedException exception)
        {
            request?.Fail(exception);
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
        var stragglers = new List<ProcessMessage>();
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

    /// <summary>
    /// Ends the process: runs <c>OnStopping</c>, lets the node forget it, closes the mailbox and fails every
    /// message still waiting, so that nothing sent to it is silently lost.
    /// </summary>
    private void Terminate(StopRequest? stopRequest, bool runStoppingHook, ExitInfo? exit = null)
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
        var pending = new List<ProcessMessage>(_retry);
        pending.AddRange(_postponed);
        pending.AddRange(_ready);
        pending.AddRange(_front);
        pending.AddRange(_held?.Values.SelectMany(held => held.Values) ?? []);
        _retry.Clear();
        _postponed.Clear();
        _ready.Clear();
        _front.Clear();
        _held?.Clear();
        while (_mailbox.TryRead(out var message))
        {
            pending.Add(message);
        }

        foreach (var message in pending)
        {
            if (message.TryStart())
            {
                message.Fail(ProcessStoppedException.For(Self));
            }
        }

        stopRequest?.SetResult(NoResult.Value);
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

    /// <summary>Captures the one cast a <c>SendAfter</c> callback sends, instead of delivering it.</summary>
    private sealed class CapturingRouter(IProcessRouter node) : IProcessRouter
    {
        private readonly List<ProcessMessage> _captured = [];

        public string NodeName => node.NodeName;

        public TimeSpan DefaultCallTimeout => node.DefaultCallTimeout;

        public void Post(ProcessRef target, ProcessMessage message) => _captured.Add(message);

        public void Withdraw(ProcessMessage message)
        {
        }

        public CastMessage Single(ProcessRef self) => _captured switch
        {
            [CastMessage cast] => cast,
            [_] => throw new ArgumentException($"A timer of process {self} delivers a cast: call a [Cast] handler in the SendAfter callback, not a [Call].", "send"),
            _ => throw new ArgumentException($"The SendAfter callback of process {self} must send exactly one cast; it sent {_captured.Count}.", "send"),
        };
    }
}
