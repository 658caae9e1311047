using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Processes;

namespace Mobility.Monitoring;

/// <summary>
/// Monitors held by the node itself (for code outside processes), and the node's part in its processes' monitors and
/// links: Downs and location news to and from watcher nodes. Owns <see cref="MonitorDownMessage"/> and
/// <see cref="MonitorMovedMessage"/>.
/// </summary>
internal sealed class NodeMonitors
{
    private readonly INodeMonitorsHost _node;
    private readonly ConcurrentDictionary<MonitorRef, NodeMonitor> _monitors = new();

    public NodeMonitors(INodeMonitorsHost node) => _node = node;

    /// <summary>Registers the monitoring handlers: inline; news for a node-side monitor of this cluster may come over a link.</summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.Inline<MonitorDownMessage>(OnMonitorMessage, ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<MonitorMovedMessage>(OnMonitorMessage, ClusterDispatcher.Senders.MembersAndLinks);
    }

    /// <summary>Tells the node-side monitor <paramref name="monitor"/> of node <paramref name="watcherNode"/> that <paramref name="process"/> went down.</summary>
    public void SendDown(string watcherNode, MonitorRef monitor, ProcessRef process, ExitInfo exit)
    {
        if (watcherNode == _node.NodeName)
        {
            CompleteMonitor(monitor, exit);
            return;
        }

        _node.SendToWatcher(watcherNode, process.Id, new MonitorDownMessage(watcherNode, monitor.Value, process.Id.ToGuid(), exit.Reason, exit.ErrorType, exit.ErrorMessage));
    }

    /// <summary>Tells the node-side monitor <paramref name="monitor"/> of node <paramref name="watcherNode"/> that its target lives on this node now.</summary>
    public void SendLocation(string watcherNode, MonitorRef monitor, ProcessId process, long generation)
    {
        if (watcherNode == _node.NodeName)
        {
            HeardOf(monitor, _node.NodeName, generation);
            return;
        }

        _node.SendToWatcher(watcherNode, process, new MonitorMovedMessage(watcherNode, monitor.Value, process.ToGuid(), _node.NodeName, generation));
    }


    /// <summary>
    /// Monitors <paramref name="target"/> from outside any process: the returned monitor's <see cref="ProcessMonitor.Down"/>
    /// completes once when the target stops (normally or not), when the node it was last known on goes down
    /// (<see cref="ExitReason.NoConnection"/>), or at once if it is not running (<see cref="ExitReason.NoProcess"/>).
    /// The target's moves send nothing. Returns once the target has registered the monitor (or is known not to run).
    /// </summary>
    /// <exception cref="InvalidOperationException">The node is not running.</exception>
    public async Task<ProcessMonitor> MonitorAsync(ProcessRef target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        _node.EnsureRunning();
        var monitor = new ProcessMonitor(this, MonitorRef.New(), target);
        var entry = new NodeMonitor(monitor, target.NodeHint);
        _monitors[monitor.Monitor] = entry;
        try
        {
            var (location, failure) = await LocalProcess.RequestAsync(
                target, new MonitorRequest(monitor.Monitor, Guid.Empty, string.Empty, _node.NodeName), cancellationToken).ConfigureAwait(false);
            if (location is null)
            {
                CompleteMonitor(monitor.Monitor, failure);
            }
            else
            {
                entry.Heard(location.Node, location.Generation);
            }
        }
        catch (OperationCanceledException)
        {
            Demonitor(monitor);
            throw;
        }

        return monitor;
    }

    /// <summary>Gives a node-side monitor up: its Down task is cancelled if it had not completed, and the target forgets it.</summary>
    public void Demonitor(ProcessMonitor monitor)
    {
        if (!_monitors.TryRemove(monitor.Monitor, out var entry))
        {
            return;
        }

        monitor.Cancel();
        try
        {
            _node.Router.Post(_node.Types.RefTo(monitor.Target.Id, monitor.Target.TypeId, entry.Node, _node.Router), new Envelope(new DemonitorRequest(monitor.Monitor)));
        }
        catch (Exception exception) when (exception is ProcessStoppedException or InvalidOperationException)
        {
            // The target is gone, or so is this node: nothing to forget there.
        }
    }

    private void OnMonitorMessage(Peer peer, IClusterMessage message)
    {
        var watcherNode = message is MonitorDownMessage d ? d.WatcherNode : ((MonitorMovedMessage)message).WatcherNode;
        if (watcherNode != _node.NodeName)
        {
            // From a link, for another node of this cluster: passed on once (never back across a link).
            if (peer.External)
            {
                _node.PassOnToMember(watcherNode, message);
            }

            return;
        }

        switch (message)
        {
            case MonitorDownMessage down when Enum.IsDefined(down.Reason):
                CompleteMonitor(new MonitorRef(down.Monitor), new ExitInfo(down.Reason, down.ErrorType, down.ErrorMessage));
                break;
            case MonitorMovedMessage moved:
                HeardOf(new MonitorRef(moved.Monitor), moved.Node, moved.Generation);
                break;
        }
    }

    private void HeardOf(MonitorRef monitor, string node, long generation)
    {
        if (_monitors.TryGetValue(monitor, out var entry))
        {
            entry.Heard(node, generation);
        }
    }

    private void CompleteMonitor(MonitorRef id, ExitInfo exit)
    {
        if (_monitors.TryRemove(id, out var entry))
        {
            var target = entry.Monitor.Target;
            entry.Monitor.TryComplete(new Down(id, _node.Types.RefTo(target.Id, target.TypeId, entry.Node, _node.Router), exit.Reason, exit.ErrorType, exit.ErrorMessage));
        }
    }

    /// <summary>
    /// A node went down: node-side monitors of processes last known there get <see cref="ExitReason.NoConnection"/>, and
    /// every local process checks its own monitors and links (in its loop, in mailbox order).
    /// </summary>
    public void OnNodeDown(string node)
    {
        foreach (var (id, entry) in _monitors)
        {
            if (entry.Node == node)
            {
                CompleteMonitor(id, ExitInfo.NoConnection(node));
            }
        }

        foreach (var process in _node.Routes.Local)
        {
            process.TryPost(new Envelope(new NodeDownSignal(node)));
        }
    }

    /// <summary>A node-side monitor, and where its target was last known to live (at which generation).</summary>
    private sealed class NodeMonitor(ProcessMonitor monitor, string node)
    {
        private readonly Lock _lock = new();
        private long _generation = -1;

        public ProcessMonitor Monitor { get; } = monitor;

        public string Node { get; private set; } = node;

        public void Heard(string node, long generation)
        {
            lock (_lock)
            {
                if (generation > _generation)
                {
                    _generation = generation;
                    Node = node;
                }
            }
        }
    }
}
