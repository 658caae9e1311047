namespace Mobility.Generators.Model;

/// <summary>Everything the emitter needs to write the generated part of one valid process class.</summary>
/// <param name="Hierarchy">Where the class is declared.</param>
/// <param name="Features">Its visibility, the optional members to emit, and the behaviours its generated part reports.</param>
/// <param name="HookDefinitions">The lifecycle partial methods the generated part must define.</param>
/// <param name="State">The state members, in declaration order.</param>
/// <param name="Handlers">The <c>[Call]</c> and <c>[Cast]</c> handlers, in declaration order (handlers of one event share its <c>Name</c>).</param>
/// <param name="StateMachine">For a <c>[StateMachine]</c> class, its state type, initial state and enter callbacks; null otherwise.</param>
internal sealed record MobileProcessModel(
    HierarchyInfo Hierarchy,
    ProcessFeatures Features,
    EquatableArray<HookDefinition> HookDefinitions,
    EquatableArray<StateMember> State,
    EquatableArray<HandlerModel> Handlers,
    StateMachineModel? StateMachine)
{
    /// <summary>Whether the process has every one of <paramref name="features"/>.</summary>
    public bool Has(ProcessFeatures features) => (Features & features) == features;
}

/// <summary>A lifecycle hook (<c>OnStarted</c>, <c>OnStopping</c>, <c>OnLeaving</c>, <c>OnArrived</c>, <c>OnDown</c>, <c>OnExit</c>) to declare as a partial method.</summary>
/// <param name="Modifiers">The accessibility to repeat (empty, or the one the user's implementation declares, with a trailing space).</param>
/// <param name="Name">The hook's name.</param>
/// <param name="Parameters">The parameter list, without parentheses, e.g. <c>global::Mobility.MigrationInfo info</c>.</param>
/// <param name="IsGeneratedOnly">True when the user wrote no part of the hook (the definition is the generated part's alone).</param>
internal sealed record HookDefinition(string Modifiers, string Name, string Parameters, bool IsGeneratedOnly = false);
