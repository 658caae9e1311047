using Mobility.Transport;

namespace Mobility.Cluster;

/// <summary>A live member of the cluster, as seen from this node: its connection and when it was last heard.</summary>
internal sealed class Peer(PeerConnection connection, bool initiatedHere)
{
    private long _lastHeardTicks = Environment.TickCount64;

    public string Name => Connection.RemoteNodeName;

    public PeerConnection Connection { get; } = connection;

    /// <summary>Whether this node opened the connection (used to keep one connection per pair).</summary>
    public bool InitiatedHere { get; } = initiatedHere;

    /// <summary>The endpoint the peer listens on, once it told us (null if it does not listen).</summary>
    public MemberInfo? Advertised { get; set; }

    public TimeSpan SilentFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastHeardTicks));

    public void Heard() => Interlocked.Exchange(ref _lastHeardTicks, Environment.TickCount64);
}
