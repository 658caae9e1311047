namespace Mobility;

/// <summary>
/// Limits a <c>[Call]</c> or <c>[Cast]</c> handler of a <see cref="StateMachineAttribute">state machine</see> to
/// some states (gen_statem's <c>state_functions</c>): in any other state, the handler does not run. A handler
/// without <c>[When]</c> serves every state its event has no <c>[When]</c> handler for.
/// </summary>
/// <remarks>
/// Several handlers may serve one event in different states: give them the same
/// <see cref="CallAttribute.Event"/> or <see cref="CastAttribute.Event"/> name, the same parameter types and the
/// same result. An event with no handler for the current state fails a call with
/// <see cref="UnhandledEventException"/>; a cast is logged and dropped.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class WhenAttribute : Attribute
{
    /// <summary>Declares the states the handler serves.</summary>
    /// <param name="states">Values of the machine's state enum.</param>
    public WhenAttribute(params object[] states) => States = states;

    /// <summary>The states the handler serves.</summary>
    public IReadOnlyList<object> States { get; }
}
