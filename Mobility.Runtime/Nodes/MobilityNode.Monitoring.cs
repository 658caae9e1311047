using System.Collections.Concurrent;
using Mobility.Cluster;

namespace Mobility;

/// <summary>Monitors held by the node itself (for code outside processes), and what the node does for its processes' monitors and links.</summary>
public sealed partial class MobilityNode
{
    private readonly ConcurrentDictionary<MonitorRef, NodeMonitor> _monitors = new();

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
        EnsureRunning();
        var monitor = new ProcessMonitor(this, MonitorRef.New(), target);
        var entry = new NodeMonitor(monitor, target.NodeHint);
        _monitors[monitor.Monitor] = entry;
        try
        {
            var (location, failure) = await LocalProcess.RequestAsync(
                target, new MonitorRequest(monitor.Monitor, Guid.Empty, string.Empty, Name), cancellationToken).ConfigureAwait(false);
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

    ProcessRef IProcessHost.RefTo(ProcessId id, string typeId, string node, ProcessId from) =>
        RefTo(id, typeId, node != Name && !(_membership?.IsConnected(node) ?? false) && _arrivedVia.TryGetValue(from, out var link) ? link : node);

    void IProcessHost.SendDownToNode(string node, MonitorRef monitor, ProcessRef process, ExitInfo exit)
    {
        if (node == Name)
        {
            CompleteMonitor(monitor, exit);
            return;
        }

        _ = TrySendAsync(WayTo(node, process.Id), new MonitorDownMessage(node, monitor.Value, process.Id.ToGuid(), exit.Reason, exit.ErrorType, exit.ErrorMessage));
    }

    void IProcessHost.SendLocationToNode(string node, MonitorRef monitor, ProcessId process, long generation)
    {
        if (node == Name)
        {
            HeardOf(monitor, Name, generation);
            return;
        }

        _ = TrySendAsync(WayTo(node, process), new MonitorMovedMessage(node, monitor.Value, process.ToGuid(), Name, generation));
    }

    /// <summary>A node of this cluster is reached directly; one of the cluster a process came from, through the link it came over.</summary>
    private string WayTo(string node, ProcessId from) =>
        !(_membership?.IsConnected(node) ?? false) && _arrivedVia.TryGetValue(from, out var link) ? link : node;

    /// <summary>Gives a node-side monitor up: its Down task is cancelled if it had not completed, and the target forgets it.</summary>
    internal void Demonitor(ProcessMonitor monitor)
    {
        if (!_monitors.TryRemove(monitor.Monitor, out var entry))
        {
            return;
        }

        monitor.Cancel();
        try
        {
            ((IProcessRouter)this).Post(RefTo(monitor.Target.Id, monitor.Target.TypeId, entry.Node), new DemonitorRequest(monitor.Monitor));
        }
        catch (Exception exception) when (exception is ProcessStoppedException or InvalidOperationException)
        {
            // The target is gone, or so is this node: nothing to forget there.
        }
    }

    private ProcessRef RefTo(ProcessId id, string typeId, string node) =>
        _typesById.TryGetValue(typeId, out var type) ? type.CreateRef(id, node, this) : new AnyProcessRef(id, typeId, node, this);

    private void OnMonitorMessage(Peer peer, IClusterMessage message)
    {
        var watcherNode = message is MonitorDownMessage d ? d.WatcherNode : ((MonitorMovedMessage)message).WatcherNode;
        if (watcherNode != Name)
        {
            // From a link, for another node of this cluster: passed on once (never back across a link).
            if (peer.External && !IsLink(watcherNode))
            {
                _ = TrySendAsync(watcherNode, message);
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
            entry.Monitor.TryComplete(new Down(id, RefTo(target.Id, target.TypeId, entry.Node), exit.Reason, exit.ErrorType, exit.ErrorMessage));
        }
    }

    /// <summary>
    /// A node went down: node-side monitors of processes last known there get <see cref="ExitReason.NoConnection"/>, and
    /// every local process checks its own monitors and links (in its loop, in mailbox order).
    /// </summary>
    private void OnNodeDownForMonitors(string node)
    {
        foreach (var (id, entry) in _monitors)
        {
            if (entry.Node == node)
            {
                CompleteMonitor(id, ExitInfo.NoConnection(node));
            }
        }

        foreach (var process in _routes.Local)
        {
            process.TryPost(new NodeDownSignal(node));
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
