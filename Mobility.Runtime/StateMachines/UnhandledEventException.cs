namespace Mobility;

/// <summary>
/// A call reached a <see cref="StateMachineAttribute">state machine</see> in a state none of its handlers for that
/// event serves. The machine keeps running in its state.
/// </summary>
public sealed class UnhandledEventException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was not handled, and in which state.</param>
    public UnhandledEventException(string message)
        : base(message)
    {
    }

    /// <summary>The exception for event <paramref name="eventName"/> reaching <paramref name="processName"/> in <paramref name="state"/>.</summary>
    internal static UnhandledEventException For(string processName, string state, string eventName) => new(
        $"{processName} is in state {state} and has no handler for {eventName}. Send {eventName} in a state that handles it, " +
        "or add a handler for it without [When] (it serves every other state).");
}
