using Mobility.Diagnostics;
using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>The states of <see cref="Door"/>.</summary>
public enum DoorState
{
    Locked,
    Open,
    Jammed,
}

/// <summary>
/// A state machine with per-state handlers of shared events, a fallback handler, postponed calls and casts, enter
/// callbacks, and event, state and named timeouts. Everything it lives through goes to its log, in order.
/// </summary>
[MobileProcess]
[StateMachine(typeof(DoorState), Initial = DoorState.Locked)]
public partial class Door
{
    private readonly List<string> _log = [];
    private string _code = "123";
    private string _entered = string.Empty;
    private int _relockMilliseconds = 5_000;
    private long _relockDueUtcTicks;

    [Transient]
    private readonly Journal _journal;

    [Transient]
    private readonly MobilityNode _node;

    public Door(Journal journal, MobilityNode node)
    {
        _journal = journal;
        _node = node;
    }

    [Call]
    public string Status() => State.ToString(); // no [When]: every state

    [Call]
    public List<string> Log() => [.. _log];

    [Call]
    public string Where() => _node.Name;

    [Call, When(DoorState.Locked)]
    public void Configure(string code, int relockMilliseconds)
    {
        _code = code;
        _relockMilliseconds = relockMilliseconds;
    }

    [Cast(Event = "Button"), When(DoorState.Locked)]
    public void ButtonWhileLocked(char digit)
    {
        _entered += digit;
        if (_entered == _code)
        {
            _entered = string.Empty;
            NextState(DoorState.Open);
        }
        else if (!_code.StartsWith(_entered, StringComparison.Ordinal))
        {
            _log.Add($"wrong code {_entered}");
            _entered = string.Empty;
        }
    }

    [Cast(Event = "Button"), When(DoorState.Open, DoorState.Jammed)]
    public void ButtonWhileNotLocked(char digit) => _log.Add($"button {digit} ignored while {State}");

    [Call, When(DoorState.Locked)]
    public bool Unlock(string code)
    {
        if (code != _code)
        {
            return false;
        }

        NextState(DoorState.Open);
        return true;
    }

    [Call, When(DoorState.Open)]
    public void Lock() => NextState(DoorState.Locked);

    /// <summary>Locks the door with a state timeout for the new state, set before the transition is asked for.</summary>
    [Call, When(DoorState.Open)]
    public void LockFor(int milliseconds)
    {
        SetStateTimeout(TimeSpan.FromMilliseconds(milliseconds), self => self.Mark("lock-for timeout")); // the text is made now, not when it fires
        NextState(DoorState.Locked);
    }

    [Call]
    public void Watch(ProcessRef<Counter> counter) => Monitor(counter);

    [Call, When(DoorState.Open)]
    public string Push() => "the door swings open";

    [Call(Event = "Knock"), When(DoorState.Open)]
    public string KnockWhileOpen() => "come in";

    [Call(Event = "Knock")]
    public string KnockOtherwise() => $"nobody answers ({State})";

    /// <summary>A visitor comes in when the door is open; while it is locked, the call waits (postponed).</summary>
    [Call(Event = "Enter"), When(DoorState.Open)]
    public string EnterWhileOpen(string who)
    {
        _log.Add($"{who} came in");
        return $"{who} is in";
    }

    [Call(Event = "Enter"), When(DoorState.Locked)]
    public string EnterWhileLocked(string who)
    {
        Postpone();
        return "never sent";
    }

    /// <summary>A note slid under the door is read while it is open; while locked, it waits (postponed).</summary>
    [Cast(Event = "Slide"), When(DoorState.Open)]
    public void SlideWhileOpen(string note) => _log.Add($"read {note}");

    [Cast(Event = "Slide"), When(DoorState.Locked)]
    public void SlideWhileLocked(string note) => Postpone();

    /// <summary>A parcel is taken in only while the door is locked; while it is open, it waits (postponed).</summary>
    [Cast(Event = "Deliver"), When(DoorState.Locked)]
    public void DeliverWhileLocked(string parcel) => _log.Add($"parcel {parcel}");

    [Cast(Event = "Deliver"), When(DoorState.Open)]
    public void DeliverWhileOpen(string parcel) => Postpone();

    [Cast]
    public void Note(string text) => _log.Add($"note {text}");

    [Call, When(DoorState.Open)]
    public void Jam() => NextState(DoorState.Jammed);

    [Call, When(DoorState.Jammed)]
    public void Repair() => NextState(DoorState.Locked);

    [Call]
    public void StayPut() => NextState(State); // not a change: postponed events stay, the state timeout goes on

    [Call]
    public void HoldOpen(int milliseconds) => SetEventTimeout(TimeSpan.FromMilliseconds(milliseconds), self => self.Idle());

    [Cast]
    public void Idle()
    {
        _log.Add($"idle in {State}");
        _journal.Write($"idle in {State}");
    }

    [Call]
    public void Ring(string name, int milliseconds) =>
        SetTimeout("bell", TimeSpan.FromMilliseconds(milliseconds), self => self.Mark($"bell {name}"));

    [Call]
    public bool Silence() => CancelTimeout("bell");

    [Call]
    public void Witness(int milliseconds) => SetTimeout("witness", TimeSpan.FromMilliseconds(milliseconds), self => self.Mark("witness"));

    [Cast]
    public void Mark(string what)
    {
        _log.Add(what);
        _journal.Write($"mark {what}"); // watched from outside without sending an event
    }

    [Cast]
    public void Relock()
    {
        _log.Add($"state timeout in {State}");
        _journal.Write($"relock in {State} on {_node.Name} at {DateTimeOffset.UtcNow.UtcTicks} due {_relockDueUtcTicks}");
        if (State == DoorState.Open)
        {
            NextState(DoorState.Locked);
        }
    }

    partial void OnDown(Down down)
    {
        _log.Add($"down in {State}");
        if (State == DoorState.Open)
        {
            NextState(DoorState.Locked); // a Down is an event: it may change the state
        }
    }

    [StateEnter]
    private void OnEveryState(DoorState previous) => _log.Add($"enter {State} from {previous}");

    [StateEnter(DoorState.Open)]
    private void OnOpen()
    {
        _relockDueUtcTicks = DateTimeOffset.UtcNow.AddMilliseconds(_relockMilliseconds).UtcTicks;
        SetStateTimeout(TimeSpan.FromMilliseconds(_relockMilliseconds), self => self.Relock());
    }

#pragma warning disable MOB0057 // on purpose: the runtime's answer to it is under test
    [StateEnter(DoorState.Jammed)]
    private void OnJammed() => NextState(DoorState.Locked); // not allowed: the call that jammed the door fails
#pragma warning restore MOB0057
}
