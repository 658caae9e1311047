using System.Collections.Concurrent;
using Mobility.Processes;

namespace Mobility.Processes;

/// <summary>The cluster-wide names held by the processes of this node (the directory's owners keep the records).</summary>
internal sealed class HeldNames
{
    private readonly ConcurrentDictionary<string, LocalProcess> _holders = new(StringComparer.Ordinal);

    public void Hold(string name, LocalProcess process) => _holders[name] = process;

    public IEnumerable<KeyValuePair<string, LocalProcess>> All => _holders;

    /// <summary>Forgets the names of process <paramref name="id"/>, and returns them.</summary>
    public List<string> Drop(ProcessId id)
    {
        var dropped = new List<string>();
        foreach (var (name, holder) in _holders)
        {
            if (holder.Id == id && _holders.TryRemove(new KeyValuePair<string, LocalProcess>(name, holder)))
            {
                dropped.Add(name);
            }
        }

        return dropped;
    }
}
