using Mobility.Cluster;

namespace Mobility.Processes;

/// <summary>
/// What this node knows of one process — its <see cref="RouteEndpoint"/>: here, behind a peer, stopped, or not known
/// yet — and this node's sequence counter for the messages it sends it. Kept after the process leaves (its endpoint
/// becomes the forwarding entry) so the counter never restarts.
/// </summary>
internal sealed class Route(ProcessId id) : ISequenceSource
{
    private long _lastSequence;
    private RouteEndpoint _endpoint = RouteEndpoint.Unknown;

    public ProcessId Id { get; } = id;

    public RouteEndpoint Endpoint => Volatile.Read(ref _endpoint);

    /// <summary>The process, if it runs (or is being received) on this node.</summary>
    public LocalProcess? Local => (Endpoint as LocalEndpoint)?.Process;

    /// <summary>The peer the process was last known to live behind, when not here.</summary>
    public PeerAddress? Node => (Endpoint as PeerEndpoint)?.Address;

    public bool Stopped => ReferenceEquals(Endpoint, RouteEndpoint.Stopped);

    public long NextSequence() => Interlocked.Increment(ref _lastSequence);

    public void GiveBack(long number) => Interlocked.CompareExchange(ref _lastSequence, number - 1, number);

    /// <summary>The counter <see cref="NextSequence"/> increments, for a mailbox that numbers a message as it enqueues it.</summary>
    public ref long LastSequence => ref _lastSequence;

    public void RunsHere(LocalProcess process) => Volatile.Write(ref _endpoint, new LocalEndpoint(process));

    /// <summary>The process left for <paramref name="peer"/>: this entry forwards from now on.</summary>
    public void LivesOn(PeerAddress peer) => Volatile.Write(ref _endpoint, new PeerEndpoint(peer));

    /// <summary>
    /// Another node says the process lives behind <paramref name="peer"/>: a hint, which never overrides a process
    /// running here (the hint may be older than its arrival) nor a stop.
    /// </summary>
    public void Heard(PeerAddress peer)
    {
        var seen = Endpoint;
        while (seen is not LocalEndpoint && !ReferenceEquals(seen, RouteEndpoint.Stopped))
        {
            var witnessed = Interlocked.CompareExchange(ref _endpoint, new PeerEndpoint(peer), seen);
            if (ReferenceEquals(witnessed, seen))
            {
                return;
            }

            seen = witnessed;
        }
    }

    public void MarkStopped() => Volatile.Write(ref _endpoint, RouteEndpoint.Stopped);

    /// <summary>
    /// <paramref name="peer"/>, where the process was last known to live, went down: where it lives now is not known
    /// (it may have moved on before, or the peer may only be cut off). The next message asks the directory; the route
    /// never says "stopped" for a guess.
    /// </summary>
    public void Lost(PeerAddress peer)
    {
        var seen = Endpoint;
        if (seen is PeerEndpoint { Address: var address } && address == peer)
        {
            Interlocked.CompareExchange(ref _endpoint, RouteEndpoint.Unknown, seen);
        }
    }
}
