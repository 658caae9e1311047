using System;

namespace Mobility.Generators.Model;

/// <summary>
/// The yes-or-no facts about a process class that decide what its generated part contains: its
/// visibility, which optional members to emit (each only when the user declares no member of that
/// name), and two behaviours the generated <c>IMobileProcess</c> members report. A value, so the
/// model's structural equality and the pipeline's caching hold as they did with one bool each.
/// </summary>
[Flags]
internal enum ProcessFeatures
{
    /// <summary>An internal class, with none of the optional members (all their names taken) and default behaviour.</summary>
    None = 0,

    /// <summary>The class is visible outside its assembly (its extension class is then public too).</summary>
    Public = 1 << 0,

    /// <summary>Emit <c>Self</c>.</summary>
    Self = 1 << 1,

    /// <summary>Emit <c>SendMe</c>.</summary>
    SendMe = 1 << 2,

    /// <summary>Emit <c>Register</c>.</summary>
    Register = 1 << 3,

    /// <summary>Emit both <c>Stop</c> overloads.</summary>
    Stop = 1 << 4,

    /// <summary>Emit <c>SendAfter</c> and <c>CancelTimer</c>.</summary>
    Timers = 1 << 5,

    /// <summary>Emit <c>Monitor</c> and <c>Demonitor</c>.</summary>
    Monitors = 1 << 6,

    /// <summary>Emit <c>Link</c> and <c>Unlink</c>.</summary>
    Links = 1 << 7,

    /// <summary>The user declared <c>OnExit</c>: the process traps exit signals of linked processes.</summary>
    TrapsExits = 1 << 8,

    /// <summary><c>[MobileProcess(StopOnUnhandledException = true)]</c>: an exception escaping a handler stops the process.</summary>
    StopsOnUnhandledException = 1 << 9,
}
