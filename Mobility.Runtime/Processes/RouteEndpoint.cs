using Mobility.Cluster;

namespace Mobility.Processes;

/// <summary>
/// Where this node sends the messages of one process: a small immutable value, swapped whole in its
/// <see cref="Route"/> (so a reader never sees half of a change), and switched over by type.
/// </summary>
internal abstract class RouteEndpoint
{
    /// <summary>Nothing is known yet: a reference's hint or the directory tells.</summary>
    public static readonly RouteEndpoint Unknown = new UnknownEndpoint();

    /// <summary>The process stopped, on the word of the node that hosted it.</summary>
    public static readonly RouteEndpoint Stopped = new StoppedEndpoint();

    private sealed class UnknownEndpoint : RouteEndpoint;

    private sealed class StoppedEndpoint : RouteEndpoint;
}

/// <summary>The process runs (or is being received) on this node.</summary>
internal sealed class LocalEndpoint(LocalProcess process) : RouteEndpoint
{
    public LocalProcess Process { get; } = process;
}

/// <summary>
/// The process lives, or was last known to live, behind <see cref="Address"/>: a member of this cluster, or a link
/// to another cluster. A node the process left keeps one as its forwarding entry.
/// </summary>
internal sealed class PeerEndpoint(PeerAddress address) : RouteEndpoint
{
    public PeerAddress Address { get; } = address;
}
