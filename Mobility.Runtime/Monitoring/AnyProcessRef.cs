using Mobility.Processes;

namespace Mobility.Monitoring;

/// <summary>A reference to a process whose type this node does not know (its watchers and links may run anywhere).</summary>
internal sealed class AnyProcessRef(ProcessId id, string typeId, string nodeHint, IProcessRouter router) : ProcessRef(id, nodeHint, router, null)
{
    public override string TypeId { get; } = typeId;
}
