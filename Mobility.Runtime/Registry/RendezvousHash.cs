using System.Text;

namespace Mobility.Registry;

/// <summary>
/// Picks the owner of a key among the live members (highest-random-weight hashing): every node computes
/// the same owner from the same member list, and a member joining or leaving moves only its share of keys.
/// </summary>
internal static class RendezvousHash
{
    public static string OwnerOf(string key, IEnumerable<string> members)
    {
        string? owner = null;
        ulong best = 0;
        foreach (var member in members)
        {
            var weight = Hash(member, key);
            if (owner is null || weight > best || (weight == best && string.CompareOrdinal(member, owner) < 0))
            {
                owner = member;
                best = weight;
            }
        }

        return owner ?? throw new InvalidOperationException("A cluster always has at least one member: the node itself.");
    }

    /// <summary>FNV-1a (64-bit) over the UTF-8 of member, a separator and key: stable across processes and versions.</summary>
    private static ulong Hash(string member, string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in (ReadOnlySpan<string>)[member, "\u0000", key])
        {
            foreach (var b in Encoding.UTF8.GetBytes(part))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }
        }

        // FNV's low bits mix poorly for short keys; a final avalanche spreads them.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}
