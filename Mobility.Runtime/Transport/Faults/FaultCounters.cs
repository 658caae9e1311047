namespace Mobility.Transport.Faults;

/// <summary>
/// What a <see cref="FaultInjector"/>'s faults did so far, over all its links: what a fault campaign reports
/// next to its verdict. Counters only grow; read them at any time from any thread.
/// </summary>
internal sealed class FaultCounters
{
    private long _framesHeld;
    private long _framesDelayed;
    private long _framesLost;
    private long _connectionsCut;
    private long _connectionsRefused;

    /// <summary>Frames that reached a blackholed direction and waited there for a heal.</summary>
    public long FramesHeld => Interlocked.Read(ref _framesHeld);

    /// <summary>Frames that a delay or a throttle made wait before they were delivered.</summary>
    public long FramesDelayed => Interlocked.Read(ref _framesDelayed);

    /// <summary>Frames that were waiting (held, delayed or throttled) when their connection closed: never delivered.</summary>
    public long FramesLost => Interlocked.Read(ref _framesLost);

    /// <summary>Connection ends closed by a fault: the receiving end whose drop-after budget ran out, or each end an abort closed.</summary>
    public long ConnectionsCut => Interlocked.Read(ref _connectionsCut);

    /// <summary>
    /// Ends of new connections refused after their handshake because their pair was partitioned (two for one attempt
    /// when both nodes share the injector: each end refuses).
    /// </summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    /// <inheritdoc/>
    public override string ToString() =>
        $"frames held {FramesHeld}, delayed {FramesDelayed}, lost {FramesLost}; connections cut {ConnectionsCut}, refused {ConnectionsRefused}";

    internal void Held() => Interlocked.Increment(ref _framesHeld);

    internal void Delayed() => Interlocked.Increment(ref _framesDelayed);

    internal void Lost() => Interlocked.Increment(ref _framesLost);

    internal void Cut() => Interlocked.Increment(ref _connectionsCut);

    internal void Refused() => Interlocked.Increment(ref _connectionsRefused);
}
