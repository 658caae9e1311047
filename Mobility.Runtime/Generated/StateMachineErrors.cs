using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>The exceptions generated state machine code throws.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class StateMachineErrors
{
    /// <summary>An event reached a state none of its handlers serves.</summary>
    public static UnhandledEventException UnhandledEvent(string processName, string state, string eventName) =>
        UnhandledEventException.For(processName, state, eventName);
}
