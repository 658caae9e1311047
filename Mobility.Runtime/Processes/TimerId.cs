namespace Mobility;

/// <summary>Identifies a pending timer of a process (returned by <c>SendAfter</c>, accepted by <c>CancelTimer</c>).</summary>
public readonly record struct TimerId(long Value);
