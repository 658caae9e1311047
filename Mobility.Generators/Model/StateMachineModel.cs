namespace Mobility.Generators.Model;

/// <summary>What a <c>[StateMachine]</c> process adds to its model.</summary>
/// <param name="StateType">The state enum, fully qualified, e.g. <c>global::Demo.DoorState</c>.</param>
/// <param name="Initial">The initial state as an expression, e.g. <c>global::Demo.DoorState.Locked</c>.</param>
/// <param name="ProcessName">The class's name, as exception messages show it.</param>
/// <param name="Enters">The <c>[StateEnter]</c> methods, in declaration order.</param>
internal sealed record StateMachineModel(
    string StateType,
    string Initial,
    string ProcessName,
    EquatableArray<StateEnterModel> Enters);

/// <summary>A <c>[StateEnter]</c> method.</summary>
/// <param name="Invocation">The method's name as written after <c>this.</c>.</param>
/// <param name="TakesPreviousState">Whether it takes the previous state.</param>
/// <param name="States">The states whose entry runs it (fully qualified enum members); empty for every state.</param>
internal sealed record StateEnterModel(string Invocation, bool TakesPreviousState, EquatableArray<string> States);
