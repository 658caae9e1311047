using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>A pending timer taken out of a process for a move: what it delivers, when, and what kind of timer it is.</summary>
/// <param name="Id">Its id within the process.</param>
/// <param name="Due">When it fires (wall clock).</param>
/// <param name="Message">The cast it delivers.</param>
/// <param name="Kind">A plain <c>SendAfter</c> timer, or a state machine's event, state or named timeout.</param>
/// <param name="Name">The name of a named timeout; null otherwise.</param>
internal readonly record struct PendingTimer(long Id, DateTimeOffset Due, CastMessage Message, TimeoutKind Kind = TimeoutKind.Plain, string? Name = null);
