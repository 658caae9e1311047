using Mobility.Cluster;
using Mobility.Monitoring;
using Mobility.Processes;

namespace Mobility.Nodes;

/// <summary>The node's side of the seam its node-side monitors work through (<see cref="INodeMonitorsHost"/>).</summary>
internal sealed class NodeMonitorsHost(NodeContext node, NodeSender sender, CrossClusterLinks links) : INodeMonitorsHost
{
    public string NodeName => node.Name;

    public IProcessRouter Router => node.Router;

    public ProcessTypes Types => node.Types;

    public ProcessRoutes Routes => node.Routes;

    public void EnsureRunning() => node.EnsureRunning();

    public void SendToWatcher(string watcherNode, ProcessId process, IClusterMessage message) =>
        _ = sender.TrySendAsync(links.WayTo(watcherNode, process), message);

    public void PassOnToMember(string member, IClusterMessage message)
    {
        if (PeerAddress.Parse(member) is { IsLink: false } address)
        {
            _ = sender.TrySendAsync(address, message);
        }
    }
}
