namespace Mobility;

/// <summary>
/// A monitored process went down: delivered once per monitor, to the process that called <c>Monitor</c> (its
/// <c>OnDown</c> hook, in mailbox order) or through <see cref="ProcessMonitor.Down"/>. Moving is not dying: a
/// process that migrates sends no <see cref="Down"/>.
/// </summary>
/// <param name="Monitor">The monitor that fired.</param>
/// <param name="Process">The process that went down.</param>
/// <param name="Reason">Why.</param>
/// <param name="ErrorType">For <see cref="ExitReason.Exception"/>: the exception's type name; otherwise null.</param>
/// <param name="ErrorMessage">For <see cref="ExitReason.Exception"/> and <see cref="ExitReason.NoConnection"/>: what happened; otherwise null.</param>
public sealed record Down(MonitorRef Monitor, ProcessRef Process, ExitReason Reason, string? ErrorType = null, string? ErrorMessage = null);
