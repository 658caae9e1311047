using System.Collections.Concurrent;

namespace Mobility.Transport.Faults;

/// <summary>
/// Test-only faults in the network between named nodes, as Akka.NET's failure injector wraps its transport: between
/// any pair of nodes a test blackholes, delays, throttles, or cuts the frames of each direction on its own, and
/// aborts the connections between them on demand.
/// </summary>
/// <remarks>
/// <para>
/// One injector is shared by every node of a test (<c>MobilityOptions.Faults</c>, copied into
/// <see cref="TransportOptions.Faults"/>). A direction's faults act where its frames are received (see
/// <see cref="FaultyLink"/>), so a fault from <c>a</c> to <c>b</c> takes effect only if node <c>b</c> has the injector;
/// a new connection is refused if either end has it and sees the pair partitioned.
/// </para>
/// <para>
/// A partition in either direction refuses new connections between the pair once their handshake is done (the
/// dialer gets a <see cref="PeerUnreachableException"/>, as a TCP connect under a partition would fail), so nodes
/// do not see each other come up while they cannot talk. A connection that already exists stays open: it is the
/// failure detector's job to notice the silence, as it would be on a real network.
/// </para>
/// </remarks>
internal sealed class FaultInjector
{
    private readonly ConcurrentDictionary<(string From, string To), FaultyLink> _links = new();
    private readonly TimeProvider _time;

    /// <summary>Creates an injector whose delays and throttles run on the system clock.</summary>
    public FaultInjector()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an injector whose delays and throttles run on <paramref name="time"/>.</summary>
    public FaultInjector(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <summary>What the faults did so far, over every link.</summary>
    public FaultCounters Counters { get; } = new();

    /// <summary>The faults of the direction <paramref name="from"/> → <paramref name="to"/>; the same object every time.</summary>
    public FaultyLink Link(string from, string to)
    {
        ArgumentException.ThrowIfNullOrEmpty(from);
        ArgumentException.ThrowIfNullOrEmpty(to);
        return _links.GetOrAdd((from, to), static (key, injector) => new FaultyLink(key.From, key.To, injector._time, injector.Counters), this);
    }

    /// <summary>Blackholes both directions between <paramref name="a"/> and <paramref name="b"/> (see <see cref="FaultyLink.Blackhole"/>).</summary>
    public void Partition(string a, string b)
    {
        Link(a, b).Blackhole();
        Link(b, a).Blackhole();
    }

    /// <summary>Ends every fault of both directions between <paramref name="a"/> and <paramref name="b"/> (see <see cref="FaultyLink.Heal"/>).</summary>
    public void Heal(string a, string b)
    {
        Link(a, b).Heal();
        Link(b, a).Heal();
    }

    /// <summary>Ends every fault of every direction.</summary>
    public void HealAll()
    {
        foreach (FaultyLink link in _links.Values)
        {
            link.Heal();
        }
    }

    /// <summary>
    /// Closes every connection between <paramref name="a"/> and <paramref name="b"/> now, at both ends, as a reset
    /// would: what is queued or in flight is lost. New connections may be opened at once. The ends at
    /// <paramref name="b"/> close first and give the fault as their reason; an end at <paramref name="a"/> may see its
    /// peer close before it is aborted itself, and say so, as the far side of a reset does.
    /// </summary>
    /// <returns>How many connection ends were open and are now closed.</returns>
    public int Abort(string a, string b)
    {
        // Both ends are taken before either closes: a closed end makes the other fail on its own, and it counts all the same.
        PeerConnection[] ends = [.. Link(a, b).OpenConnections(), .. Link(b, a).OpenConnections()];
        string reason = $"fault injection aborted the connection between node '{a}' and node '{b}'";
        foreach (PeerConnection end in ends)
        {
            Counters.Cut();
            end.Abort(reason, failure: true);
        }

        return ends.Length;
    }

    /// <summary>
    /// Why a connection between <paramref name="local"/> and <paramref name="remote"/> that just completed its
    /// handshake must not be used (the pair is partitioned in either direction), or <see langword="null"/> to use it.
    /// </summary>
    internal string? RefusalReason(string local, string remote)
    {
        if (!IsBlackholed(local, remote) && !IsBlackholed(remote, local))
        {
            return null;
        }

        Counters.Refused();
        return $"fault injection: the network between node '{local}' and node '{remote}' is partitioned";
    }

    private bool IsBlackholed(string from, string to) => _links.TryGetValue((from, to), out FaultyLink? link) && link.IsBlackholed;
}
