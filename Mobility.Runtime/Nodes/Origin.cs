namespace Mobility.Nodes;

/// <summary>
/// The sequence key a node numbers its messages under: its name and an incarnation id, <c>name#incarnation</c>, made
/// and read only here. A restarted node is a new origin, so its numbers start again without being taken for duplicates.
/// </summary>
internal static class Origin
{
    public static string New(string node) => $"{node}#{Guid.NewGuid():N}";

    /// <summary>The node an origin belongs to, or null if it is not an origin's form.</summary>
    public static string? NodeOf(string origin)
    {
        var hash = origin.LastIndexOf('#');
        return hash > 0 ? origin[..hash] : null;
    }
}
