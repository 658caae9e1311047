namespace Mobility;

/// <summary>A node of the cluster came up or went down.</summary>
public sealed class NodeEventArgs(string nodeName, string? reason = null) : EventArgs
{
    /// <summary>The node's name.</summary>
    public string NodeName { get; } = nodeName;

    /// <summary>Why it went down (null for a node that came up).</summary>
    public string? Reason { get; } = reason;
}
