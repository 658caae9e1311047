using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>Lets it crash: an exception escaping any of its handlers, or its <c>OnDown</c>, stops it.</summary>
[MobileProcess(StopOnUnhandledException = true)]
public partial class Crasher
{
    [Transient]
    private readonly Journal _journal;

    [Transient]
    private readonly Gate _gate;

    public Crasher(Journal journal, Gate gate)
    {
        _journal = journal;
        _gate = gate;
    }

    [Call]
    public int Divide(int by) => 100 / by;

    [Cast]
    public void Explode(string message) => throw new InvalidOperationException(message);

    [Cast]
    public async Task ExplodeAtTheGate(string message)
    {
        await _gate.WaitAsync();
        throw new InvalidOperationException(message);
    }

    [Call]
    public void RegisterThenExplode(string name)
    {
        Register(name);
        throw new InvalidOperationException("after registering");
    }

    [Call]
    public async Task WaitAtTheGate(CancellationToken cancellationToken) => await _gate.WaitAsync().WaitAsync(cancellationToken);

    [Call]
    public void LinkTo(ProcessRef<Sentinel> other) => Link(other);

    [Call]
    public void LinkToTrapper(ProcessRef<Trapper> other) => Link(other);

    [Call]
    public MonitorRef Watch(ProcessRef<Sentinel> target) => Monitor(target);

    [Call]
    public int Ping() => 1;

    partial void OnDown(Down down) => throw new InvalidOperationException($"cannot live without {down.Process.Id}");

    partial void OnStopping() => _journal.Write($"stopping {Self.Id}");
}

/// <summary>The states of <see cref="Fuse"/>.</summary>
public enum FuseState
{
    Armed,
    Blown,
}

/// <summary>A state machine that lets it crash: entering <see cref="FuseState.Blown"/> throws.</summary>
[MobileProcess(StopOnUnhandledException = true)]
[StateMachine(typeof(FuseState))]
public partial class Fuse
{
    [Call, When(FuseState.Armed)]
    public void Overload() => NextState(FuseState.Blown);

    [Call]
    public string Status() => State.ToString();

    [StateEnter(FuseState.Blown)]
    private void OnBlown() => throw new InvalidOperationException("fuse blown");
}
