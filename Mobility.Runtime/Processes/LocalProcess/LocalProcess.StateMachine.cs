using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// The driver of a state machine (gen_statem): around each event it cancels the event timeout, keeps the event if
/// the handler postponed it, applies the transition the handler asked for, runs the enter callbacks and puts the
/// postponed events back in front when the state changed. Inert for a process that is not a state machine.
/// </summary>
internal sealed partial class LocalProcess
{
    private readonly IStateMachineProcess? _machine;
    private readonly Queue<Envelope> _retry = new(); // postponed events retried after a state change: taken first
    private readonly List<Envelope> _postponed = [];
    private bool _postponeAsked;
    private bool _inEnter;
    private bool _inSignal; // running OnDown or OnExit

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
    private bool CompleteStateMachineStep(Envelope envelope, bool handled, long timersBefore, out Exception? enterFailure)
    {
        var postpone = _postponeAsked && handled;
        _postponeAsked = false;
        if (postpone)
        {
            envelope.Reply?.DiscardReply();
            envelope.Reply?.ReturnToPending();
            _postponed.Add(envelope);
        }

        enterFailure = CompleteTransition(envelope.Reply, handled, timersBefore);
        return postpone;
    }

    /// <summary>
    /// Applies the transition an event's handler asked for (or forgets it, when <paramref name="apply"/> is false).
    /// If the state changed: cancels the state timeout started before the event (one the handler set belongs to
    /// the new state, as in gen_statem), runs the enter callbacks and puts the postponed events back in front of
    /// everything else, in their original order.
    /// </summary>
    /// <returns>The exception an enter callback threw, if one did (logged already).</returns>
    private Exception? CompleteTransition(CallReply? call, bool apply, long timersBefore)
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
            if (!CrashOn(call, $"the enter callback of state {_machine.StateName}", exception))
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
}
