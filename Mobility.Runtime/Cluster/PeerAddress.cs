namespace Mobility.Cluster;

/// <summary>
/// Where a node can send cluster messages: a member of its cluster, or a link to a node of another cluster (one this
/// node dialled, which it can dial again, or one that dialled it). A typed value: code branches on <see cref="Kind"/>,
/// never on the text of a name. <see cref="Name"/> is the key membership routes by, and the form that travels.
/// </summary>
internal sealed class PeerAddress : IEquatable<PeerAddress>
{
    private const string DialledPrefix = "tcp://";
    private const string AcceptedPrefix = "link:";

    private PeerAddress(PeerKind kind, string name, string? host = null, int port = 0)
    {
        Kind = kind;
        Name = name;
        Host = host;
        Port = port;
    }

    /// <summary>What kind of peer it is.</summary>
    public enum PeerKind
    {
        /// <summary>A member of this node's cluster, by its node name.</summary>
        Member,

        /// <summary>A link this node dialled to a mobility TCP server of another cluster: it can be dialled again.</summary>
        DialledLink,

        /// <summary>A link a node of another cluster dialled to this one: only that node can open it again.</summary>
        AcceptedLink,
    }

    public PeerKind Kind { get; }

    /// <summary>The key membership routes by: a node name, <c>tcp://host:port</c>, or <c>link:name#n</c>.</summary>
    public string Name { get; }

    /// <summary>The host of a <see cref="PeerKind.DialledLink"/>.</summary>
    public string? Host { get; }

    /// <summary>The port of a <see cref="PeerKind.DialledLink"/>.</summary>
    public int Port { get; }

    /// <summary>A link to another cluster rather than a member of this one.</summary>
    public bool IsLink => Kind != PeerKind.Member;

    public static PeerAddress Member(string node) => new(PeerKind.Member, node);

    public static PeerAddress Dialled(string host, int port) => new(PeerKind.DialledLink, $"{DialledPrefix}{host}:{port}", host, port);

    /// <summary>A link accepted from node <paramref name="remote"/> of another cluster, the <paramref name="serial"/>-th this node accepted.</summary>
    public static PeerAddress Accepted(string remote, long serial) => new(PeerKind.AcceptedLink, $"{AcceptedPrefix}{remote}#{serial}");

    /// <summary>
    /// The address a name stands for: the one place the name forms are read (a name from the wire or from a
    /// reference's hint). A <c>tcp://</c> name that does not end in a valid port is no dialled link.
    /// </summary>
    public static PeerAddress Parse(string name)
    {
        if (name.StartsWith(DialledPrefix, StringComparison.Ordinal) && name.LastIndexOf(':') is var colon && colon > DialledPrefix.Length &&
            int.TryParse(name.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) &&
            port is > 0 and <= 65535)
        {
            return new PeerAddress(PeerKind.DialledLink, name, name[DialledPrefix.Length..colon], port);
        }

        return name.StartsWith(AcceptedPrefix, StringComparison.Ordinal) || name.StartsWith(DialledPrefix, StringComparison.Ordinal)
            ? new PeerAddress(PeerKind.AcceptedLink, name)
            : new PeerAddress(PeerKind.Member, name);
    }

    public bool Equals(PeerAddress? other) => other is not null && Name == other.Name;

    public override bool Equals(object? obj) => obj is PeerAddress other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    public override string ToString() => Name;

    public static bool operator ==(PeerAddress? left, PeerAddress? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(PeerAddress? left, PeerAddress? right) => !(left == right);
}
