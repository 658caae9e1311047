namespace Mobility.Registry;

/// <summary>
/// Where a process lives, as its directory owner records it, and the move epoch that put it there: every move of a
/// process has a higher epoch than the last, so an update older than the entry (delayed, or from a copy that no
/// longer runs) is refused instead of overwriting it.
/// </summary>
internal readonly record struct LocationRecord(string Node, long Epoch);
