using Microsoft.Extensions.Logging;
using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>The counter of the design document, plus a few handlers the specifications need.</summary>
[MobileProcess]
public partial class Counter
{
    private int _count;
    private readonly List<string> _history = new();

    [Transient]
    private readonly ILogger<Counter> _log;

    [Transient]
    private readonly Journal _journal;

    public Counter(ILogger<Counter> log, Journal journal)
    {
        _log = log;
        _journal = journal;
    }

    public string Label { get; set; } = "counter";

    [Call]
    public int Increment(int by)
    {
        _count += by;
        _history.Add($"+{by}");
        return _count;
    }

    [Cast]
    public void Reset()
    {
        _count = 0;
        _history.Add("reset");
    }

    [Call]
    public async ValueTask<string> Describe()
    {
        await Task.Yield();
        return $"{Label}: {_count} [{string.Join(" ", _history)}]";
    }

    [Call]
    public void Rename(string label) => Label = label;

    [Call]
    public void WriteJournal(string entry) => _journal.Write(entry);

    [Call]
    public void Leave(string node) => SendMe(Destination.Node(node));

    [Call]
    public void Claim(string name) => Register(name);

    [Call]
    public ProcessRef<Counter> Me() => Self;

    [Call]
    public void Quit() => Stop();

    partial void OnStarted() => _journal.Write("started");

    partial void OnStopping() => _journal.Write($"stopping at {_count}");

    partial void OnLeaving(MigrationInfo info) => _journal.Write($"leaving for {info.Destination} at {_count}");

    partial void OnArrived(MigrationInfo info)
    {
        _log.LogInformation("Arrived from {Node}", info.SourceNode);
        _journal.Write($"arrived from {info.SourceNode}");
    }
}
