using Microsoft.Extensions.Logging;

namespace Mobility.Example;

/// <summary>
/// The counterpart of the seed's <c>mobility_example</c>: a small mobile process that counts what it
/// is told and remembers the last few entries. Its state is everything but the logger.
/// </summary>
[MobileProcess]
public partial class ExampleProcess
{
    private int _count;
    private readonly List<string> _journal = new();

    [Transient]
    private readonly ILogger<ExampleProcess> _logger;

    [Transient]
    private readonly MobilityNode _node;

    public ExampleProcess(ILogger<ExampleProcess> logger, MobilityNode node)
    {
        _logger = logger;
        _node = node;
    }

    /// <summary>Adds <paramref name="amount"/> to the count and returns the new count.</summary>
    [Call]
    public int Add(int amount)
    {
        _count += amount;
        Remember($"add {amount}");
        return _count;
    }

    /// <summary>Notes an entry without waiting for an answer.</summary>
    [Cast]
    public void Note(string entry) => Remember(entry);

    /// <summary>Describes the state of the process, and the node it runs on.</summary>
    [Call]
    public string State() => $"count={_count}, journal=[{string.Join(", ", _journal)}] (running on node '{_node.Name}')";

    /// <summary>Asks the process to move itself (the seed's <c>send_me</c>).</summary>
    [Call]
    public void MoveTo(string node) => SendMe(Destination.Node(node));

    partial void OnStarted() => _logger.LogInformation("Example process {Process} started", Self);

    partial void OnArrived(MigrationInfo info) => _logger.LogInformation("Example process arrived from {Node}", info.SourceNode);

    private void Remember(string entry)
    {
        _journal.Add(entry);
        if (_journal.Count > 5)
        {
            _journal.RemoveAt(0);
        }
    }
}
