using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>What a process needs from its node for monitors and links.</summary>
internal partial interface IProcessHost
{
    /// <summary>
    /// A reference to a process this node may not know the type of, bound to this node's router, for messages from
    /// <paramref name="from"/>: if <paramref name="node"/> is not a node of this cluster and <paramref name="from"/> came
    /// from another cluster, the reference points at the link it came over (whose far end knows the way).
    /// </summary>
    ProcessRef RefTo(ProcessId id, string typeId, string node, ProcessId from);

    /// <summary>Tells the node-side monitor <paramref name="monitor"/> of node <paramref name="node"/> that <paramref name="process"/> went down.</summary>
    void SendDownToNode(string node, MonitorRef monitor, ProcessRef process, ExitInfo exit);

    /// <summary>Tells the node-side monitor <paramref name="monitor"/> of node <paramref name="node"/> that its target lives on this node now.</summary>
    void SendLocationToNode(string node, MonitorRef monitor, ProcessId process, long generation);
}
