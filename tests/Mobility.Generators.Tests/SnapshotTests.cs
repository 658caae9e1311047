using Snapshooter.Xunit3;

namespace Mobility.Generators.Tests;

/// <summary>
/// The generated text, one committed snapshot per scenario under <c>__snapshots__</c>: review a
/// snapshot change as you would review the generator change that caused it.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Counter_of_the_contract() =>
        Snapshot.Match(Generate(Scenarios.Counter, "Demo.Counter.Mobility.g.cs"));

    [Fact]
    public void Process_in_the_global_namespace() =>
        Snapshot.Match(Generate(Scenarios.GlobalNamespace, "Greeter.Mobility.g.cs"));

    [Fact]
    public void Process_nested_in_partial_class_record_and_struct() =>
        Snapshot.Match(Generate(Scenarios.Nested, "Demo.Nested.Outer.Middle.Holder.Inner.Mobility.g.cs"));

    [Fact]
    public void Every_call_and_cast_return_kind_with_cancellation_tokens() =>
        Snapshot.Match(Generate(Scenarios.ReturnKinds, "Demo.Kinds.Mobility.g.cs"));

    [Fact]
    public void Parameter_names_that_clash_with_generated_names() =>
        Snapshot.Match(Generate(Scenarios.ParameterNames, "Demo.Names.Mobility.g.cs"));

    [Fact]
    public void Auto_properties_readonly_and_transient_fields() =>
        Snapshot.Match(Generate(Scenarios.State, "Demo.Stateful.Mobility.g.cs"));

    [Fact]
    public void Lifecycle_hooks_written_as_definition_implementation_or_both() =>
        Snapshot.Match(Generate(Scenarios.HooksAsPartials, "Demo.Hooked.Mobility.g.cs"));

    [Fact]
    public void Lifecycle_hooks_and_process_members_written_as_ordinary_members() =>
        Snapshot.Match(Generate(Scenarios.HooksAsMethods, "Demo.Plain.Mobility.g.cs"));

    [Fact]
    public void Process_trapping_exits_with_its_own_OnDown_and_OnExit() =>
        Snapshot.Match(Generate(Scenarios.Supervisor, "Demo.Supervisor.Mobility.g.cs"));

    [Fact]
    public void Process_that_stops_on_unhandled_exceptions() =>
        Snapshot.Match(Generate(Scenarios.Crashing, "Demo.Worker.Mobility.g.cs"));

    [Fact]
    public void Handler_taking_an_internal_type_gets_an_internal_extension() =>
        Snapshot.Match(Generate(Scenarios.InternalParameter, "Demo.Vault.Mobility.g.cs"));

    [Fact]
    public void State_machine_with_per_state_handlers_shared_events_enter_callbacks_and_timeouts() =>
        Snapshot.Match(Generate(Scenarios.DoorLock, "Demo.DoorLock.Mobility.g.cs"));

    [Fact]
    public void State_machine_with_only_state_less_handlers() =>
        Snapshot.Match(Generate(Scenarios.StatelessHandlers, "Demo.Job.Mobility.g.cs"));

    [Fact]
    public void Registrations_of_two_processes() =>
        Snapshot.Match(Generate(Scenarios.TwoProcesses, GeneratorHarness.RegistrationsHintName));

    private static string Generate(string source, string hintName) =>
        GeneratorHarness.Run(source).Source(hintName);
}
