using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>Records what it handles, to observe order and (non-)interleaving.</summary>
[MobileProcess]
public partial class Recorder
{
    private readonly List<string> _seen = new();
    private int _running;
    private int _maxRunning;

    [Transient]
    private readonly Gate _gate;

    [Transient]
    private readonly Journal _journal;

    public Recorder(Gate gate, Journal journal)
    {
        _gate = gate;
        _journal = journal;
    }

    [Cast]
    public void Note(string item) => _seen.Add(item);

    [Call]
    public async Task NoteSlowly(string item)
    {
        _running++;
        _maxRunning = Math.Max(_maxRunning, _running);
        await Task.Yield();
        await Task.Delay(1);
        _seen.Add(item);
        _running--;
    }

    [Call]
    public async ValueTask<string> WaitAtGate(string item)
    {
        await _gate.WaitAsync();
        _seen.Add(item);
        return item;
    }

    [Call]
    public int NoteAndCount(string item)
    {
        _seen.Add(item);
        return _seen.Count;
    }

    [Call]
    public List<string> Seen() => [.. _seen];

    [Call]
    public int MaxConcurrentHandlers() => _maxRunning;

    [Call]
    public async Task<bool> WaitForCancellation(CancellationToken cancellationToken)
    {
        try
        {
            _journal.Write("waiting for cancellation");
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return false;
        }
        catch (OperationCanceledException)
        {
            _seen.Add("cancelled");
            return true;
        }
    }
}
