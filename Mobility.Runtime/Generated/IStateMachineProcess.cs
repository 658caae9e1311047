using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>
/// What the process loop needs from a <see cref="StateMachineAttribute">state machine</see>, beyond
/// <see cref="IMobileProcess"/>. Implemented by generated code; not meant to be implemented by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IStateMachineProcess : IMobileProcess
{
    /// <summary>The current state, for logs and exception messages.</summary>
    string StateName { get; }

    /// <summary>
    /// Applies the transition the last handler asked for with <c>NextState</c> (or forgets it, when
    /// <paramref name="apply"/> is false because the handler failed).
    /// </summary>
    /// <returns>True if the state changed (a transition to the current state is not a change).</returns>
    bool CompleteTransition(bool apply);

    /// <summary>Runs the <c>[StateEnter]</c> methods of the current state (after a change, or for the initial state).</summary>
    void EnterState();
}
