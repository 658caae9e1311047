using System.Collections.Concurrent;

namespace Mobility;

/// <summary>
/// The names registered by processes of this node (gproc's <c>{n, l, Name}</c>): unique, held by
/// one live process each, released when it stops.
/// </summary>
internal sealed class LocalNameRegistry
{
    private readonly ConcurrentDictionary<string, ProcessRef> _byName = new(StringComparer.Ordinal);

    /// <returns>True if the name was claimed now; false if <paramref name="process"/> already held it.</returns>
    /// <exception cref="NameAlreadyRegisteredException">Another process holds it.</exception>
    public bool Register(string name, ProcessRef process)
    {
        while (true)
        {
            if (_byName.TryAdd(name, process))
            {
                return true;
            }

            if (_byName.TryGetValue(name, out var holder))
            {
                return holder.Id == process.Id ? false : throw new NameAlreadyRegisteredException(name, holder.Id);
            }

            // The holder released the name between the two looks: try again.
        }
    }

    public ProcessRef? WhereIs(string name) => _byName.TryGetValue(name, out var process) ? process : null;

    /// <summary>Releases <paramref name="name"/> if <paramref name="process"/> holds it.</summary>
    public void Release(string name, ProcessRef process) =>
        _byName.TryRemove(new KeyValuePair<string, ProcessRef>(name, process));
}
