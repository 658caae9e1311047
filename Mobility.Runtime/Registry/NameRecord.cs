
namespace Mobility.Registry;

/// <summary>Who holds a name: the process, its type and the node it was last known on.</summary>
internal sealed record NameRecord(ProcessId Process, string TypeId, string Node);
