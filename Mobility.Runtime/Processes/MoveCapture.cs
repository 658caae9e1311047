using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// A process frozen for a move, between two messages: everything that must travel with it besides its state
/// (which the offer writes straight from the frozen instance into its frame). If the move rolls back, the same
/// capture gives it all back (<see cref="LocalProcess.ResumeAfterRollback"/>).
/// </summary>
/// <param name="Names">The names it holds.</param>
/// <param name="Expected">The next sequence number it expects from each origin.</param>
/// <param name="Queue">The messages it has not handled yet, in the order it would have taken them.</param>
/// <param name="Timers">Its pending timers (paused while it moves).</param>
/// <param name="Postponed">The events a state machine postponed until its next state change, in order.</param>
/// <param name="Monitoring">Its monitors and links (who watches it, what it watches, whom it is linked to).</param>
internal sealed record MoveCapture(
    IReadOnlyList<string> Names,
    IReadOnlyDictionary<string, long> Expected,
    IReadOnlyList<Envelope> Queue,
    IReadOnlyList<PendingTimer> Timers,
    IReadOnlyList<Envelope> Postponed,
    MonitoringState? Monitoring = null);
