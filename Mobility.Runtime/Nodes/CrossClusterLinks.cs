using System.Collections.Concurrent;
using Mobility.Cluster;

namespace Mobility.Nodes;

/// <summary>
/// What this node knows of processes that crossed a link to or from another cluster: the link each came over, and
/// the links of their homes that asked to hear of them directly. Those hear where the process goes next and when it
/// stops. Owns <see cref="MovedMessage"/>, <see cref="GoneMessage"/> and <see cref="WatchMessage"/>.
/// </summary>
internal sealed class CrossClusterLinks(NodeContext node, NodeSender sender, Action<ProcessId> forgetStopped)
{
    // Processes that came from another cluster, by the link they came over, and the links of their homes that asked to
    // be told directly (WatchMessage).
    private readonly ConcurrentDictionary<ProcessId, PeerAddress> _arrivedVia = new();
    private readonly ConcurrentDictionary<ProcessId, PeerAddress[]> _watchers = new();

    /// <summary>Registers the handlers of the news about processes: inline, open to links.</summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.Inline<MovedMessage>(OnMoved, ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<GoneMessage>((_, gone) => OnGone(ProcessId.FromGuid(gone.Process)), ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<WatchMessage>(OnWatch, ClusterDispatcher.Senders.MembersAndLinks);
    }

    /// <summary>Process <paramref name="id"/> arrived from another cluster over <paramref name="link"/>.</summary>
    public void ArrivedVia(ProcessId id, PeerAddress link) => _arrivedVia[id] = link;

    /// <summary>The link process <paramref name="id"/> came over, if it came from another cluster.</summary>
    public bool TryGetArrivedVia(ProcessId id, out PeerAddress link) => _arrivedVia.TryGetValue(id, out link!);

    /// <summary>
    /// A node of this cluster is reached directly; one of the cluster a process came from, through the link it came over.
    /// </summary>
    public PeerAddress WayTo(string node, ProcessId from)
    {
        var member = PeerAddress.Member(node);
        return !sender.IsConnected(member) && _arrivedVia.TryGetValue(from, out var link) ? link : member;
    }

    /// <summary>
    /// The process left this node for <paramref name="destination"/>. Gone to another cluster: this node keeps its names
    /// here and forwards to it; if it came from a third cluster, that origin is told where it lives now, so it links
    /// there directly (no growing chain). Gone to a member: this node no longer speaks for it.
    /// </summary>
    public void Left(ProcessId id, PeerAddress destination)
    {
        switch (destination.Kind)
        {
            case PeerAddress.PeerKind.Member:
                _arrivedVia.TryRemove(id, out _);
                break;
            case PeerAddress.PeerKind.DialledLink:
                Tell(id, new MovedMessage(id.ToGuid(), destination.Name), except: destination);
                break;
        }
    }

    /// <summary>Process <paramref name="id"/> stopped: the clusters that wait for it hear it, and it is forgotten here.</summary>
    public void Stopped(ProcessId id)
    {
        Tell(id, new GoneMessage(id.ToGuid()), except: null);
        _arrivedVia.TryRemove(id, out _);
        _watchers.TryRemove(id, out _);
    }

    /// <summary>Sends news of a process to the clusters that wait for it: the one it came from, and its watchers.</summary>
    private void Tell(ProcessId id, IClusterMessage news, PeerAddress? except)
    {
        IEnumerable<PeerAddress> links = _watchers.TryGetValue(id, out var watchers) ? watchers : [];
        if (_arrivedVia.TryGetValue(id, out var origin))
        {
            links = links.Append(origin);
        }

        foreach (var link in links.Distinct().Where(link => link != except))
        {
            _ = sender.TrySendAsync(link, news);
        }
    }

    private void OnMoved(Peer peer, MovedMessage moved)
    {
        var route = node.Routes.For(ProcessId.FromGuid(moved.Process));
        var address = PeerAddress.Parse(moved.Node);
        if (!peer.External)
        {
            route.Heard(address); // a cache correction from a member
            return;
        }

        // A link may only point at another TCP server, never at a node name of this cluster. This node watches the
        // process there from now on: the watch is queued before anything else this node sends over that link.
        if (address.Kind == PeerAddress.PeerKind.DialledLink)
        {
            route.Heard(address);
            if (route.Node == address)
            {
                _ = sender.TrySendAsync(address, new WatchMessage(moved.Process));
            }
        }
    }

    private void OnWatch(Peer peer, WatchMessage watch)
    {
        if (peer.External)
        {
            _watchers.AddOrUpdate(ProcessId.FromGuid(watch.Process), [peer.Address], (_, links) => links.Contains(peer.Address) ? links : [.. links, peer.Address]);
        }
    }

    /// <summary>
    /// A process that went to another cluster stopped there: forget it here, release its names, and pass the news on to
    /// the cluster it came from, if any.
    /// </summary>
    private void OnGone(ProcessId id)
    {
        var route = node.Routes.For(id);
        if (route.Local is not null || route.Stopped)
        {
            return; // it came back, or this node knows already
        }

        forgetStopped(id);
    }
}
