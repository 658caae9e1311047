namespace Mobility.Benchmarks;

/// <summary>The receiver of the local and cross-node workloads: counts casts, echoes calls.</summary>
[MobileProcess]
public partial class Echo
{
    [Cast]
    public void Tell(long seq) => Probe.Hit();

    [Call]
    public long Ping(long seq) => seq;
}

/// <summary>An idle process with no state, for spawn rate and memory per process.</summary>
[MobileProcess]
public partial class Idle
{
    [Call]
    public int Nop() => 0;
}

/// <summary>
/// The receiver of migration under load: checks that each sender's sequence numbers arrive exactly once and in
/// order, however often it moves. Its counters are state, so they travel with it.
/// </summary>
[MobileProcess]
public partial class Sequencer
{
    private long[] _last = new long[64];
    private long _handled;
    private long _outOfOrder;
    private long _duplicates;

    [Call]
    public long Hit(int sender, long seq)
    {
        var last = _last[sender];
        if (seq <= last)
        {
            _duplicates++;
        }
        else
        {
            if (seq != last + 1)
            {
                _outOfOrder++;
            }

            _last[sender] = seq;
        }

        _handled++;
        return seq;
    }

    /// <summary>[handled, out of order, duplicates, last seq of sender 0, 1, ...].</summary>
    [Call]
    public long[] Report() => [_handled, _outOfOrder, _duplicates, .. _last];
}
