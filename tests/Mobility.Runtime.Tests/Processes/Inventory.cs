using MemoryPack;
using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>A user-defined state type: it carries [MemoryPackable] itself.</summary>
[MemoryPackable]
public partial record Item(string Name, int Quantity, decimal Price);

/// <summary>A process with varied state: collections, a user type, a reference to another process, properties.</summary>
[MobileProcess]
public partial class Inventory
{
    private readonly Dictionary<string, Item> _items = new();
    private readonly HashSet<Guid> _seenOrders = new();
    private DateTimeOffset? _lastChange;
    private ProcessRef<Counter>? _audit;
    private byte[] _blob = [];

    [Transient]
    private readonly Journal _journal;

    [Transient]
    private int _cacheHits;

    public Inventory(Journal journal) => _journal = journal;

    public string Owner { get; set; } = "nobody";

    public int Generation { get; init; }

    public Journal Journal => _journal;

    [Call]
    public void Add(Item item, Guid orderId)
    {
        _items[item.Name] = item;
        _seenOrders.Add(orderId);
        _lastChange = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        _cacheHits++;
    }

    [Call]
    public void Configure(string owner, ProcessRef<Counter>? audit, byte[] blob)
    {
        Owner = owner;
        _audit = audit;
        _blob = blob;
    }

    [Call]
    public async Task<int> AuditAsync(int amount) => _audit is null ? -1 : await _audit.IncrementAsync(amount);

    [Call]
    public string Describe() =>
        $"{Owner}/{Generation}: {string.Join(", ", _items.Values.OrderBy(item => item.Name).Select(item => $"{item.Name}x{item.Quantity}@{item.Price}"))}; " +
        $"orders={_seenOrders.Count}; changed={_lastChange:O}; audit={_audit?.Id.ToString() ?? "none"}; blob={Convert.ToHexString(_blob)}; cacheHits={_cacheHits}";
}
