namespace Mobility.DoorLock;

/// <summary>The states of <see cref="DoorLock"/>.</summary>
public enum LockState
{
    Locked,
    Open,
}

/// <summary>
/// A code lock as a state machine (Erlang's gen_statem door-lock example): digits open it when they spell the
/// code, a wrong digit resets the entry, and it locks itself again a few seconds after opening (a state timeout).
/// Parcels are taken in only while it is locked; one delivered while it is open waits (postponed).
/// </summary>
[MobileProcess]
[StateMachine(typeof(LockState), Initial = LockState.Locked)]
public partial class DoorLock
{
    private string _code = "0000";
    private string _entered = string.Empty;
    private double _openSeconds = 3;
    private readonly List<string> _parcels = [];

    [Transient]
    private readonly MobilityNode _node;

    [Transient]
    private readonly TextWriter _output;

    public DoorLock(MobilityNode node, TextWriter output)
    {
        _node = node;
        _output = output;
    }

    [Call, When(LockState.Locked)]
    public void Configure(string code, double openSeconds)
    {
        _code = code;
        _openSeconds = openSeconds;
    }

    [Cast(Event = "Button"), When(LockState.Locked)]
    public void ButtonWhileLocked(char digit)
    {
        _entered += digit;
        if (_entered == _code)
        {
            _entered = string.Empty;
            NextState(LockState.Open);
        }
        else if (!_code.StartsWith(_entered, StringComparison.Ordinal))
        {
            Say($"wrong code '{_entered}': entry reset");
            _entered = string.Empty;
        }
    }

    [Cast(Event = "Button"), When(LockState.Open)]
    public void ButtonWhileOpen(char digit) => Say($"button {digit} ignored: the door is open");

    [Cast(Event = "Deliver"), When(LockState.Locked)]
    public void DeliverWhileLocked(string parcel)
    {
        _parcels.Add(parcel);
        Say($"parcel '{parcel}' taken in");
    }

    [Cast(Event = "Deliver"), When(LockState.Open)]
    public void DeliverWhileOpen(string parcel)
    {
        Say($"parcel '{parcel}' waits until the door is locked (postponed)");
        Postpone();
    }

    [Cast, When(LockState.Open)]
    public void Relock()
    {
        Say("state timeout: locking");
        NextState(LockState.Locked);
    }

    [Call]
    public string Status() => $"{State} on {_node.Name}, parcels: [{string.Join(", ", _parcels)}]";

    [StateEnter(LockState.Open)]
    private void OnOpen()
    {
        Say($"open; locks again in {_openSeconds:0.#} s");
        SetStateTimeout(TimeSpan.FromSeconds(_openSeconds), self => self.Relock());
    }

    [StateEnter(LockState.Locked)]
    private void OnLocked() => Say("locked");

    partial void OnArrived(MigrationInfo info) => Say($"arrived from node '{info.SourceNode}', still {State}");

    private void Say(string what) => _output.WriteLine($"  [door on {_node.Name}] {what}");
}
