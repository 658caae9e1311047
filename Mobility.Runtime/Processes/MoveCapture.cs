using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A process frozen for a move, between two messages: its state and everything that must travel with it.
/// If the move rolls back, the same capture gives it all back (<see cref="LocalProcess.ResumeAfterRollback"/>).
/// </summary>
/// <param name="State">The state members, encoded by the generated <c>WriteState</c>.</param>
/// <param name="Names">The names it holds.</param>
/// <param name="Expected">The next sequence number it expects from each origin.</param>
/// <param name="Queue">The messages it has not handled yet, in the order it would have taken them.</param>
/// <param name="Timers">Its pending timers (paused while it moves).</param>
/// <param name="Monitoring">Its monitors and links (who watches it, what it watches, whom it is linked to).</param>
internal sealed record MoveCapture(
    byte[] State,
    IReadOnlyList<string> Names,
    IReadOnlyDictionary<string, long> Expected,
    IReadOnlyList<ProcessMessage> Queue,
    IReadOnlyList<(long Id, DateTimeOffset Due, CastMessage Message)> Timers,
    MonitoringState? Monitoring = null);
