namespace Mobility.Processes;

/// <summary>
/// A process frozen between two messages: what a node needs to bring it back to life elsewhere.
/// </summary>
/// <param name="TypeId">The stable id of the process type.</param>
/// <param name="Id">The process's identity.</param>
/// <param name="State">The state members, encoded by the generated <c>WriteState</c>.</param>
/// <param name="Names">The names the process had registered.</param>
internal sealed record ProcessSnapshot(string TypeId, ProcessId Id, byte[] State, IReadOnlyList<string> Names);
