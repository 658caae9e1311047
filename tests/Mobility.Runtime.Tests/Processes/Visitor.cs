using System.Collections.Concurrent;

namespace Mobility.Tests.Processes;

/// <summary>A process that notes, weakly, every copy of itself that arrived somewhere: to see which ones stay alive.</summary>
[MobileProcess]
public partial class Visitor
{
    private static readonly ConcurrentDictionary<ProcessId, ConcurrentQueue<WeakReference>> Arrived = new();

    private byte[] _luggage = new byte[64 * 1024];

    /// <summary>The copies of <paramref name="process"/> that arrived somewhere, in order of arrival.</summary>
    public static IReadOnlyList<WeakReference> CopiesOf(ProcessId process) =>
        Arrived.TryGetValue(process, out var copies) ? [.. copies] : [];

    [Call]
    public int Luggage() => _luggage.Length;

    partial void OnArrived(MigrationInfo info) => Arrived.GetOrAdd(Self.Id, _ => new()).Enqueue(new WeakReference(this));
}
