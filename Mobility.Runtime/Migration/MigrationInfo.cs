namespace Mobility;

/// <summary>What a process is told when it leaves a node or arrives at one.</summary>
/// <param name="SourceNode">The node the process leaves.</param>
/// <param name="Destination">Where it goes.</param>
public sealed record MigrationInfo(string SourceNode, Destination Destination);
