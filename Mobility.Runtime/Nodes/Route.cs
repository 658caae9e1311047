namespace Mobility;

/// <summary>
/// What this node knows of one process: whether it runs here, where it lives otherwise, whether it
/// stopped, and this node's sequence counter for the messages it sends it. Kept after the process
/// leaves (it becomes the forwarding entry) so the counter never restarts.
/// </summary>
internal sealed class Route(ProcessId id) : Cluster.ISequenceSource
{
    private long _lastSequence;
    private volatile LocalProcess? _local;
    private volatile string? _node;
    private volatile bool _stopped;

    public ProcessId Id { get; } = id;

    /// <summary>The process, if it runs (or is being received) on this node.</summary>
    public LocalProcess? Local => _local;

    /// <summary>The node the process was last known to live on, when not here.</summary>
    public string? Node => _node;

    public bool Stopped => _stopped;

    public long NextSequence() => Interlocked.Increment(ref _lastSequence);

    /// <summary>The counter <see cref="NextSequence"/> increments, for a mailbox that numbers a message as it enqueues it.</summary>
    public ref long LastSequence => ref _lastSequence;

    public void RunsHere(LocalProcess process)
    {
        _stopped = false;
        _node = null;
        _local = process;
    }

    /// <summary>The process left for <paramref name="node"/>: this entry forwards from now on.</summary>
    public void LivesOn(string node)
    {
        _node = node;
        _local = null;
    }

    /// <summary>
    /// Another node says the process lives on <paramref name="node"/>: a hint, which never overrides a process
    /// running here (the hint may be older than its arrival).
    /// </summary>
    public void Heard(string node)
    {
        if (_local is null && !_stopped)
        {
            _node = node;
        }
    }

    public void MarkStopped()
    {
        _stopped = true;
        _local = null;
    }
}
