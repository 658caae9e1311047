using Mobility.Generated;

namespace Mobility;

/// <summary>
/// The pending timers of one process: each delivers a cast to the process at a wall-clock due time.
/// They travel with the process (<see cref="Pause"/> at the source, <see cref="Arm"/> at the destination),
/// so a timer fires at the destination at its original due time.
/// </summary>
internal sealed class ProcessTimers(TimeProvider time, Func<ProcessMessage, bool> deliver)
{
    private readonly Func<ProcessMessage, bool> _deliver = deliver;

    private readonly Dictionary<long, Entry> _entries = [];
    private long _lastId;

    public int Count => _entries.Count;

    public TimerId Add(DateTimeOffset due, CastMessage message)
    {
        var entry = new Entry(++_lastId, due, message);
        _entries[entry.Id] = entry;
        Start(entry);
        return new TimerId(entry.Id);
    }

    public bool Cancel(TimerId timer)
    {
        if (!_entries.Remove(timer.Value, out var entry))
        {
            return false;
        }

        entry.Timer?.Dispose();
        return true;
    }

    /// <summary>Stops every timer from firing (the process is being moved); <see cref="Resume"/> restarts them.</summary>
    public IReadOnlyList<(long Id, DateTimeOffset Due, CastMessage Message)> Pause()
    {
        var pending = new List<(long, DateTimeOffset, CastMessage)>(_entries.Count);
        foreach (var entry in _entries.Values)
        {
            entry.Timer?.Dispose();
            entry.Timer = null;
            if (entry.TryPause())
            {
                pending.Add((entry.Id, entry.Due, entry.Message));
            }

            // Otherwise it fired already: its message is in the mailbox, which travels on its own.
        }

        return pending;
    }

    public void Resume()
    {
        foreach (var entry in _entries.Values)
        {
            if (entry.TryUnpause())
            {
                Start(entry);
            }
        }
    }

    /// <summary>Re-creates a timer that travelled with the process, keeping its id and due time.</summary>
    public void Arm(long id, DateTimeOffset due, CastMessage message)
    {
        var entry = new Entry(id, due, message);
        _entries[id] = entry;
        _lastId = Math.Max(_lastId, id);
        Start(entry);
    }

    public void Clear()
    {
        Pause();
        _entries.Clear();
    }

    /// <summary>Called on the process loop when a timer's message is taken: the timer is no longer pending.</summary>
    public void Fired(CastMessage message)
    {
        foreach (var entry in _entries.Values)
        {
            if (ReferenceEquals(entry.Message, message))
            {
                _entries.Remove(entry.Id);
                return;
            }
        }
    }

    private void Start(Entry entry)
    {
        var delay = entry.Due - time.GetUtcNow();
        entry.Timer = time.CreateTimer(
            static state =>
            {
                var (owner, fired) = ((ProcessTimers, Entry))state!;
                if (fired.TryFire())
                {
                    owner._deliver(fired.Message);
                }
            },
            (this, entry),
            delay > TimeSpan.Zero ? delay : TimeSpan.Zero,
            Timeout.InfiniteTimeSpan);
    }

    private sealed class Entry(long id, DateTimeOffset due, CastMessage message)
    {
        private const int Armed = 0;
        private const int Fired = 1;
        private const int Paused = 2;

        private int _state;

        public long Id { get; } = id;

        public DateTimeOffset Due { get; } = due;

        public CastMessage Message { get; } = message;

        public ITimer? Timer { get; set; }

        /// <summary>The timer callback wins the message only if the timer is neither paused nor fired.</summary>
        public bool TryFire() => Interlocked.CompareExchange(ref _state, Fired, Armed) == Armed;

        public bool TryPause() => Interlocked.CompareExchange(ref _state, Paused, Armed) == Armed;

        public bool TryUnpause() => Interlocked.CompareExchange(ref _state, Armed, Paused) == Paused;
    }
}
