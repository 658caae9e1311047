namespace Mobility;

/// <summary>
/// Marks a method of a <see cref="StateMachineAttribute">state machine</see> to run each time the machine enters
/// one of the given states (every state when none is given): after a transition, and for the initial state when
/// the process is spawned. Arriving after a move is not a state change: no enter callback runs then.
/// </summary>
/// <remarks>
/// The method returns <c>void</c> and takes no parameter, or one parameter of the state type (the previous state;
/// for the initial state, the initial state itself). It may set timeouts, but not call <c>NextState</c> or
/// <c>Postpone</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class StateEnterAttribute : Attribute
{
    /// <summary>Declares the states whose entry runs the method.</summary>
    /// <param name="states">Values of the machine's state enum; none for every state.</param>
    public StateEnterAttribute(params object[] states) => States = states;

    /// <summary>The states whose entry runs the method (empty: every state).</summary>
    public IReadOnlyList<object> States { get; }
}
