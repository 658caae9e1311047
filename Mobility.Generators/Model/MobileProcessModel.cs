namespace Mobility.Generators.Model;

/// <summary>Everything the emitter needs to write the generated part of one valid process class.</summary>
/// <param name="Hierarchy">Where the class is declared.</param>
/// <param name="IsPublic">Whether the class is visible outside its assembly (its extension class is then public too).</param>
/// <param name="EmitSelf">Whether to emit <c>Self</c> (false when the user declares a member of that name).</param>
/// <param name="EmitSendMe">Whether to emit <c>SendMe</c>.</param>
/// <param name="EmitRegister">Whether to emit <c>Register</c>.</param>
/// <param name="EmitStop">Whether to emit <c>Stop</c>.</param>
/// <param name="EmitTimers">Whether to emit <c>SendAfter</c> and <c>CancelTimer</c>.</param>
/// <param name="HookDefinitions">The lifecycle partial methods the generated part must define.</param>
/// <param name="State">The state members, in declaration order.</param>
/// <param name="Handlers">The <c>[Call]</c> and <c>[Cast]</c> handlers, in declaration order (handlers of one event share its <c>Name</c>).</param>
/// <param name="EmitMonitors">Whether to emit <c>Monitor</c> and <c>Demonitor</c>.</param>
/// <param name="EmitLinks">Whether to emit <c>Link</c> and <c>Unlink</c>.</param>
/// <param name="TrapsExits">Whether the user declared <c>OnExit</c> (the process then traps exit signals of linked processes).</param>
/// <param name="StateMachine">For a <c>[StateMachine]</c> class, its state type, initial state and enter callbacks; null otherwise.</param>
/// <param name="StopsOnUnhandledException">Whether <c>[MobileProcess(StopOnUnhandledException = true)]</c>: an exception escaping a handler stops the process.</param>
internal sealed record MobileProcessModel(
    HierarchyInfo Hierarchy,
    bool IsPublic,
    bool EmitSelf,
    bool EmitSendMe,
    bool EmitRegister,
    bool EmitStop,
    bool EmitTimers,
    EquatableArray<HookDefinition> HookDefinitions,
    EquatableArray<StateMember> State,
    EquatableArray<HandlerModel> Handlers,
    bool EmitMonitors,
    bool EmitLinks,
    bool TrapsExits,
    StateMachineModel? StateMachine = null,
    bool StopsOnUnhandledException = false);

/// <summary>A lifecycle hook (<c>OnStarted</c>, <c>OnStopping</c>, <c>OnLeaving</c>, <c>OnArrived</c>, <c>OnDown</c>, <c>OnExit</c>) to declare as a partial method.</summary>
/// <param name="Modifiers">The accessibility to repeat (empty, or the one the user's implementation declares, with a trailing space).</param>
/// <param name="Name">The hook's name.</param>
/// <param name="Parameters">The parameter list, without parentheses, e.g. <c>global::Mobility.MigrationInfo info</c>.</param>
/// <param name="IsGeneratedOnly">True when the user wrote no part of the hook (the definition is the generated part's alone).</param>
internal sealed record HookDefinition(string Modifiers, string Name, string Parameters, bool IsGeneratedOnly = false);
