namespace Mobility;

/// <summary>
/// Makes a <see cref="MobileProcessAttribute">[MobileProcess]</see> class a state machine (Erlang's gen_statem):
/// it is always in one state of the enum <see cref="StateType"/>, its handlers may serve only some states
/// (<see cref="WhenAttribute">[When]</see>), and it gains the process-side members <c>State</c>,
/// <c>NextState</c>, <c>Postpone</c> and the event, state and named timeouts.
/// </summary>
/// <remarks>
/// The current state, the postponed events and the pending timeouts are part of the process's snapshot:
/// they move with it, and a timeout fires at the destination at its original due time.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class StateMachineAttribute : Attribute
{
    /// <summary>Declares the state type.</summary>
    /// <param name="stateType">An enum: the states of the machine.</param>
    public StateMachineAttribute(Type stateType) => StateType = stateType;

    /// <summary>The enum whose values are the machine's states.</summary>
    public Type StateType { get; }

    /// <summary>The state a spawned process starts in (a value of <see cref="StateType"/>); by default the enum's zero value.</summary>
    public object? Initial { get; set; }
}
