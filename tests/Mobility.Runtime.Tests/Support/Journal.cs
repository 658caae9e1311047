using System.Collections.Concurrent;

namespace Mobility.Tests.Support;

/// <summary>A thread-safe list of what test processes did, injected into them as a singleton.</summary>
public sealed class Journal
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public void Write(string entry) => _entries.Enqueue(entry);
}

/// <summary>A latch test processes wait on, so a test decides when a handler may finish.</summary>
public sealed class Gate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a handler waits at the gate.</summary>
    public Task Reached => _reached.Task;

    public Task WaitAsync()
    {
        _reached.TrySetResult();
        return _opened.Task;
    }

    public void Open() => _opened.TrySetResult();
}
