using Mobility.Transport;

namespace Mobility.Cluster;

/// <summary>A live member of the cluster, as seen from this node: its connection and when it was last heard.</summary>
internal sealed class Peer(PeerConnection connection, bool initiatedHere, PeerAddress? link = null)
{
    private long _lastHeardTicks = Environment.TickCount64;

    /// <summary>Who the peer is: a member of this cluster, or a link to another cluster.</summary>
    public PeerAddress Address { get; } = link ?? PeerAddress.Member(connection.RemoteNodeName);

    /// <summary>The member's node name, or for a link to another cluster the name this node routes it by.</summary>
    public string Name => Address.Name;

    /// <summary>A link to a node of another cluster (a migration link), not a member of this cluster.</summary>
    public bool External => Address.IsLink;

    public PeerConnection Connection { get; } = connection;

    /// <summary>Whether this node opened the connection (used to keep one connection per pair).</summary>
    public bool InitiatedHere { get; } = initiatedHere;

    /// <summary>The endpoint the peer listens on, once it told us (null if it does not listen).</summary>
    public MemberInfo? Advertised { get; set; }

    public TimeSpan SilentFor => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastHeardTicks));

    public void Heard() => Interlocked.Exchange(ref _lastHeardTicks, Environment.TickCount64);
}
