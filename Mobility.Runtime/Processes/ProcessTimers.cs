using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// The pending timers of one process: each delivers a cast to the process at a wall-clock due time.
/// They travel with the process (<see cref="Pause"/> at the source, <see cref="Arm"/> at the destination),
/// so a timer fires at the destination at its original due time. A state machine's timeouts are timers of a
/// <see cref="TimeoutKind"/>: at most one event timeout, one state timeout and one timeout per name is pending.
/// A timer cancelled after it fired but before the process took its message is stale: its message is dropped.
/// </summary>
internal sealed class ProcessTimers(TimeProvider time, Func<ProcessMessage, bool> deliver)
{
    private readonly Func<ProcessMessage, bool> _deliver = deliver;

    // Created with the first timer (most processes never set one) and the first stale message.
    private Dictionary<long, Entry>? _entries;
    private HashSet<CastMessage>? _stale;
    private long _lastId;

    public int Count => _entries?.Count ?? 0;

    /// <summary>The number of the newest timer: timers started later have larger numbers.</summary>
    public long LastId => _lastId;

    public TimerId Add(DateTimeOffset due, CastMessage message) => Add(due, message, TimeoutKind.Plain, name: null);

    /// <summary>Starts a timeout of a kind, replacing the pending one of that kind (named: of that name).</summary>
    public TimerId Add(DateTimeOffset due, CastMessage message, TimeoutKind kind, string? name)
    {
        if (kind != TimeoutKind.Plain)
        {
            Cancel(kind, name);
        }

        var entry = new Entry(++_lastId, due, message, kind, name);
        (_entries ??= [])[entry.Id] = entry;
        Start(entry);
        return new TimerId(entry.Id);
    }

    public bool Cancel(TimerId timer)
    {
        if (_entries is null || !_entries.Remove(timer.Value, out var entry))
        {
            return false;
        }

        entry.Timer?.Dispose();
        if (!entry.TryCancel())
        {
            (_stale ??= new HashSet<CastMessage>(ReferenceEqualityComparer.Instance)).Add(entry.Message); // it fired: its message waits in the mailbox, and must not be handled
        }

        return true;
    }

    /// <summary>
    /// Cancels the pending timeout of <paramref name="kind"/> (named: called <paramref name="name"/>), if it was
    /// started no later than the timer numbered <paramref name="startedUpTo"/> (see <see cref="LastId"/>).
    /// </summary>
    public bool Cancel(TimeoutKind kind, string? name, long startedUpTo = long.MaxValue)
    {
        if (_entries is null)
        {
            return false;
        }

        foreach (var entry in _entries.Values)
        {
            if (entry.Kind == kind && (kind != TimeoutKind.Named || entry.Name == name) && entry.Id <= startedUpTo)
            {
                return Cancel(new TimerId(entry.Id));
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="message"/> belongs to a timer cancelled after it fired.</summary>
    public bool IsStale(ProcessMessage message) => _stale is { Count: > 0 } && message is CastMessage cast && _stale.Contains(cast);

    /// <summary>Stops every timer from firing (the process is being moved); <see cref="Resume"/> restarts them.</summary>
    public IReadOnlyList<PendingTimer> Pause()
    {
        var pending = new List<PendingTimer>(Count);
        if (_entries is null)
        {
            return pending;
        }

        foreach (var entry in _entries.Values)
        {
            entry.Timer?.Dispose();
            entry.Timer = null;
            if (entry.TryPause())
            {
                pending.Add(new PendingTimer(entry.Id, entry.Due, entry.Message, entry.Kind, entry.Name));
            }

            // Otherwise it fired already: its message is in the mailbox, which travels on its own.
        }

        return pending;
    }

    public void Resume()
    {
        if (_entries is null)
        {
            return;
        }

        foreach (var entry in _entries.Values)
        {
            if (entry.TryUnpause())
            {
                Start(entry);
            }
        }
    }

    /// <summary>Re-creates a timer that travelled with the process, keeping its id and due time.</summary>
    public void Arm(PendingTimer timer)
    {
        var entry = new Entry(timer.Id, timer.Due, timer.Message, timer.Kind, timer.Name);
        (_entries ??= [])[entry.Id] = entry;
        _lastId = Math.Max(_lastId, entry.Id);
        Start(entry);
    }

    /// <summary>Whether <paramref name="message"/> is the cast one of these timers delivers (or delivered).</summary>
    public bool Owns(ProcessMessage message)
    {
        if (_entries is null || message is not CastMessage cast)
        {
            return false;
        }

        foreach (var entry in _entries.Values)
        {
            if (ReferenceEquals(entry.Message, cast))
            {
                return true;
            }
        }

        return false;
    }

    public void Clear()
    {
        Pause();
        _entries?.Clear();
        _stale?.Clear();
    }

    /// <summary>Called on the process loop when a cast is taken: its timer, if any, is no longer pending.</summary>
    /// <returns>False if the cast belongs to a timer cancelled after it fired: it must be dropped.</returns>
    public bool Fired(CastMessage message)
    {
        if (_stale is { Count: > 0 } && _stale.Remove(message))
        {
            return false;
        }

        if (_entries is not { Count: > 0 })
        {
            return true;
        }

        foreach (var entry in _entries.Values)
        {
            if (ReferenceEquals(entry.Message, message))
            {
                _entries.Remove(entry.Id);
                return true;
            }
        }

        return true;
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

    private sealed class Entry(long id, DateTimeOffset due, CastMessage message, TimeoutKind kind, string? name)
    {
        private const int Armed = 0;
        private const int Fired = 1;
        private const int Paused = 2;
        private const int Cancelled = 3;

        private int _state;

        public long Id { get; } = id;

        public DateTimeOffset Due { get; } = due;

        public CastMessage Message { get; } = message;

        public TimeoutKind Kind { get; } = kind;

        public string? Name { get; } = name;

        public ITimer? Timer { get; set; }

        /// <summary>The timer callback wins the message only if the timer is neither paused nor fired.</summary>
        public bool TryFire() => Interlocked.CompareExchange(ref _state, Fired, Armed) == Armed;

        public bool TryPause() => Interlocked.CompareExchange(ref _state, Paused, Armed) == Armed;

        /// <summary>False if the timer fired already (its message was delivered).</summary>
        public bool TryCancel() =>
            Interlocked.CompareExchange(ref _state, Cancelled, Armed) == Armed
            || Interlocked.CompareExchange(ref _state, Cancelled, Paused) == Paused;

        public bool TryUnpause() => Interlocked.CompareExchange(ref _state, Armed, Paused) == Paused;
    }
}
