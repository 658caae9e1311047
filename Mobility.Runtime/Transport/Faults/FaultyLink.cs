namespace Mobility.Transport.Faults;

/// <summary>
/// The faults of one direction between two nodes, <see cref="From"/> → <see cref="To"/>: set by a test, applied by
/// every connection of <see cref="To"/> to each frame it receives from <see cref="From"/>, before its frame handler sees it.
/// </summary>
/// <remarks>
/// <para>
/// A frame waits where the receive loop is, so the frames behind it wait too and keep their order, and the socket
/// stops being read: the sender's send queue fills and its senders wait, as TCP's backpressure would make them.
/// A frame that is waiting when its connection closes is lost, with those behind it.
/// </para>
/// <para>
/// With no fault set, <see cref="AdmitAsync"/> reads one field and returns a completed task: a connection of a node
/// that shares an injector pays nothing on the directions the test leaves alone.
/// </para>
/// </remarks>
internal sealed class FaultyLink
{
    private const long Unlimited = long.MaxValue;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly FaultCounters _counters;
    private readonly HashSet<PeerConnection> _connections = [];
    private TaskCompletionSource _healed = Healed();
    private TimeSpan _delay;
    private long _bytesPerSecond;
    private long _bytesBeforeCut = Unlimited;
    private long _cutAfter;
    private long _linkFreeAt;
    private volatile bool _faulty;

    /// <summary>Creates a healthy direction; <see cref="FaultInjector.Link"/> is how tests get one.</summary>
    internal FaultyLink(string from, string to, TimeProvider time, FaultCounters counters)
    {
        From = from;
        To = to;
        _time = time;
        _counters = counters;
    }

    /// <summary>The node whose frames this direction carries.</summary>
    public string From { get; }

    /// <summary>The node that receives them.</summary>
    public string To { get; }

    /// <summary>Whether frames from <see cref="From"/> to <see cref="To"/> are held until a <see cref="Heal"/>.</summary>
    public bool IsBlackholed
    {
        get
        {
            lock (_gate)
            {
                return !_healed.Task.IsCompleted;
            }
        }
    }

    /// <summary>
    /// Holds every frame from <see cref="From"/> to <see cref="To"/> until <see cref="Heal"/>, then releases them in
    /// order; while blackholed, no new connection between the two nodes is let through its handshake.
    /// </summary>
    public void Blackhole()
    {
        lock (_gate)
        {
            if (_healed.Task.IsCompleted)
            {
                _healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            Update();
        }
    }

    /// <summary>
    /// Delivers each frame at least <paramref name="latency"/> after it was read from the socket (frames read while
    /// earlier ones wait are delayed in the same batch, so the latency added is between one and two times it).
    /// <see cref="TimeSpan.Zero"/> removes the delay.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="latency"/> is negative.</exception>
    public void Delay(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        lock (_gate)
        {
            _delay = latency;
            Update();
        }
    }

    /// <summary>Lets frames through at no more than <paramref name="bytesPerSecond"/> (frame headers included).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytesPerSecond"/> is less than 1.</exception>
    public void Throttle(long bytesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        lock (_gate)
        {
            _bytesPerSecond = bytesPerSecond;
            _linkFreeAt = 0;
            Update();
        }
    }

    /// <summary>
    /// Lets <paramref name="bytes"/> more bytes (frame headers included) through, over all the connections of this
    /// direction, then cuts the connection whose frame would go beyond them; that frame is not delivered. The fault
    /// then ends: later connections are not cut.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is negative.</exception>
    public void DropAfter(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_gate)
        {
            _bytesBeforeCut = bytes;
            _cutAfter = bytes;
            Update();
        }
    }

    /// <summary>Ends every fault of this direction: held frames go on in order, delays, throttle and drop-after stop.</summary>
    public void Heal()
    {
        lock (_gate)
        {
            _healed.TrySetResult();
            _delay = TimeSpan.Zero;
            _bytesPerSecond = 0;
            _bytesBeforeCut = Unlimited;
            Update();
        }
    }

    /// <summary>Remembers a connection of <see cref="To"/> to <see cref="From"/>, so that it can be aborted.</summary>
    internal void Attach(PeerConnection connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }
    }

    /// <summary>Forgets a connection that closed.</summary>
    internal void Detach(PeerConnection connection)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>The connections of this direction (their receiving ends) that are still open.</summary>
    internal PeerConnection[] OpenConnections()
    {
        lock (_gate)
        {
            return [.. _connections.Where(connection => connection.CloseReason is null)];
        }
    }

    /// <summary>The time on this link's clock, taken when a frame's bytes are read; see <see cref="AdmitAsync"/>.</summary>
    internal long Timestamp() => _time.GetTimestamp();

    /// <summary>
    /// Applies this direction's faults to a frame of <paramref name="frameBytes"/> bytes that <paramref name="connection"/>
    /// read at <paramref name="receivedAt"/> (a <see cref="Timestamp"/>): waits while blackholed, delayed or throttled.
    /// </summary>
    /// <returns>True to deliver the frame; false if the faults cut the connection (it is aborted already).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="closing"/> fired while the frame waited: it is lost.</exception>
    internal ValueTask<bool> AdmitAsync(PeerConnection connection, long frameBytes, long receivedAt, CancellationToken closing) =>
        _faulty ? AdmitFaultyAsync(connection, frameBytes, receivedAt, closing) : new ValueTask<bool>(true);

    private static TaskCompletionSource Healed()
    {
        var healed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        healed.SetResult();
        return healed;
    }

    private async ValueTask<bool> AdmitFaultyAsync(PeerConnection connection, long frameBytes, long receivedAt, CancellationToken closing)
    {
        bool held = false;
        while (true)
        {
            Task healed;
            lock (_gate)
            {
                healed = _healed.Task;
            }

            if (healed.IsCompleted)
            {
                break;
            }

            if (!held)
            {
                held = true;
                _counters.Held();
            }

            await WaitAsync(healed.WaitAsync(closing)).ConfigureAwait(false);
        }

        bool cut;
        long allowed;
        TimeSpan wait = TimeSpan.Zero;
        lock (_gate)
        {
            allowed = _cutAfter;
            cut = _bytesBeforeCut != Unlimited && frameBytes > _bytesBeforeCut;
            if (cut)
            {
                _bytesBeforeCut = Unlimited;
                Update();
            }
            else
            {
                if (_bytesBeforeCut != Unlimited)
                {
                    _bytesBeforeCut -= frameBytes;
                }

                long now = _time.GetTimestamp();
                long due = receivedAt + (long)(_delay.TotalSeconds * _time.TimestampFrequency);
                if (_bytesPerSecond > 0)
                {
                    _linkFreeAt = Math.Max(now, _linkFreeAt) + (frameBytes * _time.TimestampFrequency / _bytesPerSecond);
                    due = Math.Max(due, _linkFreeAt);
                }

                if (due > now)
                {
                    wait = _time.GetElapsedTime(now, due);
                }
            }
        }

        if (cut)
        {
            _counters.Cut();
            connection.Abort($"fault injection cut the connection: the {allowed} bytes allowed from node '{From}' to node '{To}' ran out", failure: true);
            return false;
        }

        if (wait > TimeSpan.Zero)
        {
            _counters.Delayed();
            await WaitAsync(Task.Delay(wait, _time, closing)).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Waits for a held or delayed frame's turn; if the connection closes first, counts the frame lost.</summary>
    private async Task WaitAsync(Task turn)
    {
        try
        {
            await turn.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _counters.Lost();
            throw;
        }
    }

    /// <summary>Under the gate: whether any fault is set, the one field the fast path reads.</summary>
    private void Update() =>
        _faulty = !_healed.Task.IsCompleted || _delay > TimeSpan.Zero || _bytesPerSecond > 0 || _bytesBeforeCut != Unlimited;
}
