using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0001–MOB0010: the shape of a [MobileProcess] class, its constructor, stray handler attributes.</summary>
public sealed class DeclarationTests
{
    private static Task VerifyAsync(string source) => Verifier.AnalyzerAsync<ProcessDeclarationAnalyzer>(source);

    [Fact]
    public Task MOB0001_class_not_partial() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public class {|MOB0001:Counter|} { [Cast] public void M() { } }
        """);

    [Fact]
    public Task MOB0001_one_declaration_of_the_class_not_partial() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Cast] public void M() { } }
        public class {|MOB0001:{|CS0260:Counter|}|} { }
        """);

    [Fact]
    public Task MOB0001_containing_type_not_partial() => VerifyAsync("""
        using Mobility;
        public class {|MOB0001:Outer|} { [MobileProcess] public partial class Counter { [Cast] public void M() { } } }
        """);

    [Fact]
    public Task MOB0001_not_for_a_partial_class_in_partial_types() => VerifyAsync("""
        using Mobility;
        public partial class Outer { [MobileProcess] public partial class Counter { [Cast] public void M() { } } }
        public class NotAProcess { }
        """);

    [Fact]
    public Task MOB0002_generic_class() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class {|MOB0002:Box|}<T> { }
        """);

    [Fact]
    public Task MOB0002_nested_in_a_generic_type() => VerifyAsync("""
        using Mobility;
        public partial class Outer<T> { [MobileProcess] public partial class {|MOB0002:Box|} { } }
        """);

    [Fact]
    public Task MOB0002_not_for_a_process_holding_generic_state() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Box { private List<int> _items = new(); [Call] public int Count() => _items.Count; }
        """);

    [Fact]
    public Task MOB0003_abstract_static_and_record() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public abstract partial class {|MOB0003:A|} { }
        [MobileProcess] public static partial class {|MOB0003:S|} { }
        [MobileProcess] public partial record {|MOB0003:R|} { }
        """);

    [Fact]
    public Task MOB0003_not_for_a_sealed_class() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public sealed partial class Counter { [Cast] public void M() { } }
        """);

    [Fact]
    public Task MOB0004_base_class() => VerifyAsync("""
        using Mobility;
        public class Base { }
        [MobileProcess] public partial class {|MOB0004:Counter|} : Base { }
        """);

    [Fact]
    public Task MOB0004_not_for_interfaces() => VerifyAsync("""
        using Mobility;
        public interface ICounter { int Value(); }
        [MobileProcess] public partial class Counter : ICounter, IComparable<int>
        {
            [Call] public int Value() => 0;
            public int CompareTo(int other) => 0;
        }
        """);

    [Fact]
    public Task MOB0005_private_protected_and_file_local() => VerifyAsync("""
        using Mobility;
        public partial class Outer
        {
            [MobileProcess] private partial class {|MOB0005:Hidden|} { }
            [MobileProcess] protected partial class {|MOB0005:Guarded|} { }
        }
        [MobileProcess] file partial class {|MOB0005:Local|} { }
        """);

    [Fact]
    public Task MOB0005_not_for_internal_or_public_nested() => VerifyAsync("""
        using Mobility;
        public partial class Outer
        {
            [MobileProcess] internal partial class Inner { [Cast] public void M() { } }
            [MobileProcess] public partial class Open { [Cast] public void M() { } }
        }
        """);

    [Fact]
    public Task MOB0006_reserved_member_name() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class {|MOB0006:Counter|} { private int __mobilityCount; [Call] public int Get() => __mobilityCount++; }
        """);

    [Fact]
    public Task MOB0006_state_machine_member_names_but_only_in_state_machines() => VerifyAsync("""
        using Mobility;
        public enum Door { Locked, Open }
        [MobileProcess, StateMachine(typeof(Door))] public partial class {|MOB0006:{|MOB0006:Lock|}|} { private int State; public void Postpone() { } [Call] public int Get() => State; }
        [MobileProcess] public partial class Plain { private int State; public void Postpone() { } [Call] public int Get() => State; }
        """);

    [Fact]
    public Task MOB0006_extension_class_name_taken() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class {|MOB0006:Counter|} { }
        public static class CounterProcessRefExtensions { }
        """);

    [Fact]
    public Task MOB0006_IMobileProcess_by_hand_and_hook_named_class() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public sealed partial class {|MOB0006:ByHand|} : Mobility.Generated.IMobileProcess
        {
            public void Attach(Mobility.Generated.ProcessContext context) { }
            public ValueTask DispatchAsync(Mobility.Generated.ProcessMessage message, Mobility.Generated.CallReply? reply) => default;
            public void WriteState<TBufferWriter>(ref MemoryPack.MemoryPackWriter<TBufferWriter> writer) where TBufferWriter : System.Buffers.IBufferWriter<byte> { }
            public void ReadState(ref MemoryPack.MemoryPackReader reader) { }
            public void OnStarted() { }
            public void OnStopping() { }
            public void OnLeaving(MigrationInfo info) { }
            public void OnArrived(MigrationInfo info) { }
            public void OnDown(Down down) { }
            public void OnExit(ExitSignal signal) { }
            public bool TrapsExits => false;
        }
        public partial class Outer { [MobileProcess] public partial class {|MOB0006:OnArrived|} { } }
        """);

    [Fact]
    public Task MOB0006_nested_process_with_the_flat_name_of_another() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Outer_Inner { [Cast] public void M() { } }
        public partial class Outer { [MobileProcess] public partial class {|MOB0006:Inner|} { [Cast] public void M() { } } }
        """);

    [Fact]
    public Task MOB0006_not_for_ordinary_names() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { private int _mobilityCount; [Call] public int Get() => _mobilityCount++; }
        public static class CounterExtensions { }
        """);

    [Fact]
    public Task MOB0007_hook_name_taken_by_a_property_and_static_hook() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public int {|MOB0007:OnStarted|} { get; set; }
            private static void {|MOB0007:OnStopping|}() { }
        }
        """);

    [Fact]
    public Task MOB0007_OnDown_and_OnExit_taken_by_a_field_or_static() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int {|MOB0007:OnExit|};
            private static void {|MOB0007:OnDown|}(Down down) { }
        }
        """);

    [Fact]
    public Task MOB0007_not_for_OnDown_and_OnExit_written_as_partial_or_ordinary_methods() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _downs;
            partial void OnDown(Down down) => _downs++;
            public void OnExit(ExitSignal signal) { }
            private void OnDown(string unrelatedOverload) { }
        }
        """);

    [Fact]
    public Task MOB0007_partial_hook_returning_a_value_or_virtual() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public partial int {|MOB0007:{|CS0759:OnStarted|}|}() => 0;
            public virtual partial void {|MOB0007:{|CS0759:OnStopping|}|}() { }
        }
        """);

    [Fact]
    public Task MOB0007_not_for_hooks_written_as_partial_or_ordinary_methods() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _arrivals;
            partial void OnStarted() { }
            public void OnStopping() { }
            partial void OnArrived(MigrationInfo info) => _arrivals++;
            private void OnLeaving(string unrelatedOverload) { }
        }
        """);

    [Fact]
    public Task MOB0008_no_public_constructor() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class {|MOB0008:Counter|} { internal Counter() { } }
        """);

    [Fact]
    public Task MOB0008_two_public_constructors_none_marked() => VerifyAsync("""
        using Microsoft.Extensions.Logging;
        using Mobility;
        [MobileProcess] public partial class {|MOB0008:Counter|}
        {
            public Counter() { }
            public Counter(ILogger<Counter> log) { }
        }
        """);

    [Fact]
    public Task MOB0008_not_for_one_public_or_one_marked_constructor() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;
        using Mobility;
        [MobileProcess] public partial class Implicit { }
        [MobileProcess] public partial class Marked
        {
            public Marked() { }
            [ActivatorUtilitiesConstructor] public Marked(ILogger<Marked> log) { }
            private Marked(int hidden) { }
        }
        """);

    [Fact]
    public Task MOB0009_primitive_parameters_without_default() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public Counter(int {|MOB0009:start|}, string {|MOB0009:name|}, DayOfWeek {|MOB0009:day|}) { }
        }
        """);

    [Fact]
    public Task MOB0009_not_for_services_defaults_or_keyed_values() => VerifyAsync("""
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public Counter(ILogger<Counter> log, IServiceProvider services, [FromKeyedServices("greeting")] string greeting, int start = 0, string? name = null) { }
        }
        """);

    [Fact]
    public Task MOB0010_handler_attribute_outside_a_process() => VerifyAsync("""
        using Mobility;
        public class Helper { [Call] public int {|MOB0010:Get|}() => 0; [Cast] public void {|MOB0010:Poke|}() { } }
        """);

    [Fact]
    public Task MOB0010_not_for_handlers_of_a_process() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Get() => 0; }
        public class Helper { public int Get() => 0; }
        """);
}
