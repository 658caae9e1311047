using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>Monitors and links other sentinels on request, and records the Downs it gets; does not trap exits.</summary>
[MobileProcess]
public partial class Sentinel
{
    private readonly List<string> _downs = new();
    private bool _failOnArrival;

    [Transient]
    private readonly Journal _journal;

    [Transient]
    private readonly Gate _gate;

    public Sentinel(Journal journal, Gate gate)
    {
        _journal = journal;
        _gate = gate;
    }

    [Call]
    public async Task WaitForever() => await _gate.WaitAsync();

    [Call]
    public MonitorRef Watch(ProcessRef<Sentinel> target) => Monitor(target);

    [Call]
    public MonitorRef WatchRecorder(ProcessRef<Recorder> target) => Monitor(target);

    [Call]
    public bool Unwatch(MonitorRef monitor) => Demonitor(monitor);

    [Call]
    public void LinkTo(ProcessRef<Sentinel> other) => Link(other);

    [Call]
    public void LinkToTrapper(ProcessRef<Trapper> other) => Link(other);

    [Call]
    public void UnlinkFrom(ProcessRef<Sentinel> other) => Unlink(other);

    [Call]
    public void Fail(string message) => Stop(new InvalidOperationException(message));

    [Call]
    public void Quit() => Stop();

    [Call]
    public void FailOnNextArrival() => _failOnArrival = true;

    [Call]
    public List<string> Downs() => [.. _downs];

    [Call]
    public int Ping() => 1;

    partial void OnDown(Down down)
    {
        var entry = $"{down.Process.Id}:{down.Reason}:{down.ErrorMessage}";
        _downs.Add(entry);
        _journal.Write($"down {entry}");
    }

    partial void OnArrived(MigrationInfo info)
    {
        if (_failOnArrival)
        {
            throw new InvalidOperationException("cannot live here");
        }
    }

    partial void OnStopping() => _journal.Write($"stopping {Self.Id}");
}

/// <summary>Traps exits: records the exit signals of the processes it is linked to instead of stopping.</summary>
[MobileProcess]
public partial class Trapper
{
    private readonly List<string> _exits = new();

    [Call]
    public void LinkTo(ProcessRef<Sentinel> other) => Link(other);

    [Call]
    public void UnlinkFrom(ProcessRef<Sentinel> other) => Unlink(other);

    [Call]
    public List<string> Exits() => [.. _exits];

    partial void OnExit(ExitSignal signal) => _exits.Add($"{signal.From.Id}:{signal.Reason}:{signal.ErrorMessage}");
}
