using System.ComponentModel;

namespace Mobility.Generated;

/// <summary>The kinds of a state machine's timeouts, as generated code names them to the runtime.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum TimeoutKind
{
    /// <summary>A <c>SendAfter</c> timer: cancelled only by <c>CancelTimer</c>.</summary>
    Plain = 0,

    /// <summary>The event timeout: cancelled by any event the machine handles, at most one pending.</summary>
    Event = 1,

    /// <summary>The state timeout: cancelled by a state change, at most one pending.</summary>
    State = 2,

    /// <summary>A named timeout: cancelled by name, at most one pending per name.</summary>
    Named = 3,
}
