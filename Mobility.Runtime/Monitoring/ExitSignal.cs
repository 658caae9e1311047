namespace Mobility;

/// <summary>
/// A linked process exited: handed to the <c>OnExit</c> hook of a process that traps exits (declares <c>OnExit</c>).
/// A process that does not trap exits is stopped instead when the reason is not <see cref="ExitReason.Normal"/>.
/// </summary>
/// <param name="From">The linked process that exited.</param>
/// <param name="Reason">Why.</param>
/// <param name="ErrorType">For <see cref="ExitReason.Exception"/>: the exception's type name; otherwise null.</param>
/// <param name="ErrorMessage">For <see cref="ExitReason.Exception"/> and <see cref="ExitReason.NoConnection"/>: what happened; otherwise null.</param>
public sealed record ExitSignal(ProcessRef From, ExitReason Reason, string? ErrorType = null, string? ErrorMessage = null);
