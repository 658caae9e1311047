using Mobility.Cluster;
using Mobility.Processes;

namespace Mobility.Monitoring;

/// <summary>What the node-side monitors need from their node: its tables and router, and the way to a watcher node.</summary>
internal interface INodeMonitorsHost
{
    string NodeName { get; }

    IProcessRouter Router { get; }

    ProcessTypes Types { get; }

    ProcessRoutes Routes { get; }

    /// <exception cref="InvalidOperationException">The node is not running.</exception>
    void EnsureRunning();

    /// <summary>
    /// Sends news about <paramref name="process"/> to the node holding a node-side monitor of it: directly, or through the
    /// link the process came over when that node belongs to the cluster it came from. Never waits, never throws.
    /// </summary>
    void SendToWatcher(string watcherNode, ProcessId process, IClusterMessage message);

    /// <summary>News that came over a link for a member of this cluster is passed on to it (never back across a link).</summary>
    void PassOnToMember(string member, IClusterMessage message);
}
