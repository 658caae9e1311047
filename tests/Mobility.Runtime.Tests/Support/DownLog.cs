using System.Collections.Concurrent;

namespace Mobility.Tests.Support;

/// <summary>Records every <see cref="MobilityNode.NodeDown"/> a node raises, from the moment it is created.</summary>
internal sealed class DownLog
{
    private readonly ConcurrentQueue<NodeEventArgs> _downs = new();

    public DownLog(TestNode node) => node.Node.NodeDown += (_, args) => _downs.Enqueue(args);

    /// <summary>The NodeDown events so far, in the order they were raised.</summary>
    public IReadOnlyList<NodeEventArgs> Downs => [.. _downs];

    /// <summary>Whether the node declared <paramref name="node"/> down.</summary>
    public bool Saw(string node) => _downs.Any(down => down.NodeName == node);

    /// <summary>Waits until the node declares <paramref name="node"/> down and returns why.</summary>
    public async Task<string> WaitForAsync(string node)
    {
        await Wait.UntilAsync(() => Saw(node), $"node '{node}' is declared down");
        return _downs.First(down => down.NodeName == node).Reason ?? string.Empty;
    }
}
