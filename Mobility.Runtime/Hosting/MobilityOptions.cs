using System.Net;
using Mobility.Transport.Faults;

namespace Mobility;

/// <summary>Configuration of a <see cref="MobilityNode"/>, set through <c>AddMobility(options => ...)</c>.</summary>
public sealed class MobilityOptions
{
    /// <summary>The node's name, unique in its cluster. Defaults to the machine name and OS process id.</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";

    /// <summary>How long a call waits for its reply unless the reference overrides it. Default: 5 seconds, like gen_server.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where the node accepts connections from the other nodes of its cluster (port 0 picks a free port; see
    /// <see cref="MobilityNode.LocalEndPoint"/>). Null (the default): the node joins no cluster and accepts nothing,
    /// though it can still connect out with <see cref="MobilityNode.ConnectAsync"/> if a <see cref="Cookie"/> is set.
    /// </summary>
    public IPEndPoint? Listen { get; set; }

    /// <summary>
    /// The secret every node of the cluster shares. Peers prove they know it (HMAC-SHA256 challenge-response);
    /// it never crosses the wire. Required to listen or connect.
    /// </summary>
    public string? Cookie { get; set; }

    /// <summary>
    /// The secret this node shares with the nodes of other clusters it exchanges processes with over TCP
    /// (<see cref="Destination.Tcp"/>). Setting it turns on the mobility TCP server on <see cref="Listen"/>: nodes
    /// of other clusters that prove it may move processes here. It is also what this node proves when it moves a
    /// process to another cluster. Null (the default): no out-of-cluster migration, either way.
    /// </summary>
    public string? MigrationSecret { get; set; }

    /// <summary>
    /// Secrets for particular remotes, overriding <see cref="MigrationSecret"/>: keyed by the node name of a node of
    /// another cluster that connects here, or by <c>"host:port"</c> of a TCP destination this node moves processes
    /// to. A remote named here may connect even when <see cref="MigrationSecret"/> is null.
    /// </summary>
    public IDictionary<string, string> RemoteSecrets { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The secret to prove to (or expect from) a remote, if any.</summary>
    internal string? SecretFor(string remote) => RemoteSecrets.TryGetValue(remote, out var secret) ? secret : MigrationSecret;

    /// <summary>TLS for every connection of the node (null, the default: none). See <see cref="MobilityTlsOptions"/>.</summary>
    public MobilityTlsOptions? Tls { get; set; }

    /// <summary>Nodes to join when the node starts (like a static seed list); the rest of the cluster is learnt from them.</summary>
    public IList<EndPoint> Seeds { get; } = [];

    /// <summary>How often a node proves it is alive to each peer. Default: 1 second.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a peer may stay silent before it is declared down and removed. Default: 5 seconds.</summary>
    public TimeSpan FailureDetectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long each step of a migration (offer, commit) may take before it rolls back. Default: 5 seconds.</summary>
    public TimeSpan MigrationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long messages for a process that moved to another cluster are held, and its link dialled again, while
    /// that link is down; after that they fail with <see cref="ProcessUnreachableException"/>. Default: 30 seconds.
    /// </summary>
    public TimeSpan LinkRetryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a new connection may take to authenticate (TLS and the cookie or secret handshake). Default: 5 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most connections the node holds at once; more are closed as they arrive. Default: 256.</summary>
    public int MaxConnections { get; set; } = 256;

    /// <summary>The largest frame a node sends or accepts (a migrating process's state must fit). Default: 64 MiB.</summary>
    public int MaxFrameSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Tests only: faults to inject into this node's connections, one injector shared by every node of the test
    /// (see <see cref="Transport.Faults.FaultInjector"/>). Null, the default, leaves the network alone.
    /// </summary>
    internal Transport.Faults.FaultInjector? Faults { get; set; }

    /// <summary>Whether the node opens connections at all: to its cluster (a cookie) or to other clusters (a migration secret).</summary>
    internal bool IsConnected => Cookie is not null || MigrationSecret is not null || RemoteSecrets.Count > 0;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            throw new ArgumentException("MobilityOptions.NodeName must be a non-empty name, unique in the cluster.", nameof(NodeName));
        }

        if (CallTimeout <= TimeSpan.Zero && CallTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "MobilityOptions.CallTimeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        if (Seeds.Count > 0 && string.IsNullOrEmpty(Cookie))
        {
            throw new ArgumentException("MobilityOptions.Cookie must be set to join seeds: every node of a cluster shares it.", nameof(Cookie));
        }

        if (Listen is not null && string.IsNullOrEmpty(Cookie) && string.IsNullOrEmpty(MigrationSecret) && RemoteSecrets.Count == 0)
        {
            throw new ArgumentException(
                "A node that listens needs MobilityOptions.Cookie (for its cluster) or MobilityOptions.MigrationSecret (for other clusters).", nameof(Cookie));
        }

        if (HeartbeatInterval <= TimeSpan.Zero || FailureDetectionTimeout <= HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureDetectionTimeout), FailureDetectionTimeout,
                "MobilityOptions.HeartbeatInterval must be positive and FailureDetectionTimeout longer than it.");
        }

        if (Tls is not null && Listen is not null && Tls.ServerCertificate is null)
        {
            throw new ArgumentException("MobilityOptions.Tls.ServerCertificate must be set for a node that listens with TLS.", nameof(Tls));
        }

        if (MigrationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MigrationTimeout), MigrationTimeout, "MobilityOptions.MigrationTimeout must be positive.");
        }

        if (LinkRetryTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(LinkRetryTimeout), LinkRetryTimeout, "MobilityOptions.LinkRetryTimeout must be positive.");
        }

        if (HandshakeTimeout <= TimeSpan.Zero || MaxConnections < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConnections), "MobilityOptions.HandshakeTimeout must be positive and MaxConnections at least 1.");
        }

        if (MaxFrameSize < 64 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFrameSize), MaxFrameSize, "MobilityOptions.MaxFrameSize must be at least 64 KiB.");
        }
    }
}
