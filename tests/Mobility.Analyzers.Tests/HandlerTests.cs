using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0020–MOB0028: handlers' shape, what crosses the wire, and the names derived from them.</summary>
public sealed class HandlerTests
{
    private static Task VerifyAsync(string source) => Verifier.AnalyzerAsync<HandlerAnalyzer>(source);

    [Fact]
    public Task MOB0020_static_generic_and_accessor_handlers() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public static int {|MOB0020:Zero|}() => 0;
            [Call] public T {|MOB0020:Echo|}<T>(T value) => value;
            public int P { [Call] {|MOB0020:get|}; set; }
        }
        """);

    [Fact]
    public Task MOB0020_not_for_instance_handlers() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public int Zero() => 0;
            [Cast] private void Poke() { }
            public static T Echo<T>(T value) => value;
        }
        """);

    [Fact]
    public Task MOB0021_by_reference_parameters_and_results() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _x;
            [Call] public void A(ref int {|MOB0021:value|}) { }
            [Call] public void B(out int {|MOB0021:value|}) => value = 0;
            [Call] public void C(in int {|MOB0021:value|}) { }
            [Call] public void D(params int[] {|MOB0021:values|}) { }
            [Call] public ref int {|MOB0021:E|}() => ref _x;
        }
        """);

    [Fact]
    public Task MOB0021_not_for_values_and_arrays() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public int Sum(int[] values, int start) => values.Sum() + start;
            public void Helper(ref int value) { }
        }
        """);

    [Fact]
    public Task MOB0022_parameters_and_results_that_cannot_cross() => VerifyAsync("""
        using Mobility;
        public class Plain { }
        [MobileProcess] public unsafe partial class Counter
        {
            private sealed class Secret { }
            [Call] public void A(int* {|MOB0022:pointer|}) { }
            [Call] public void B(dynamic {|MOB0022:value|}) { }
            [Call] public void C(Plain {|MOB0022:plain|}) { }
            [Call] public void D(Stream {|MOB0022:stream|}) { }
            [Call] private void E(Secret {|MOB0022:secret|}) { }
            [Call] public {|MOB0022:Span<int>|} F() => default;
            [Call] public {|MOB0022:Task<object>|} G() => Task.FromResult(new object());
            [Call] public void H(Action {|MOB0022:callback|}) { }
        }
        """);

    [Fact]
    public Task MOB0022_not_for_encodable_types() => VerifyAsync("""
        using MemoryPack;
        using Mobility;
        [MemoryPackable] public partial record Item(string Name);
        [MobileProcess] public partial class Counter
        {
            internal sealed class Visible { }
            [Call] public Task<List<Item>> A(Item item, Guid id, DateTimeOffset at, (int, string) pair) => Task.FromResult(new List<Item>());
            [Call] public ValueTask<ProcessRef<Counter>?> B(ProcessRef<Counter>? peer, byte[] blob, int? maybe) => default;
            [Call] internal int C(Dictionary<string, int[]> map) => 0;
        }
        """);

    [Fact]
    public Task MOB0023_unknown_collection_parameter() => VerifyAsync("""
        using Mobility;
        public class Bag<T> : List<T> { }
        [MobileProcess] public partial class Counter { [Call] public int Count(Bag<int> {|MOB0023:bag|}) => bag.Count; }
        """);

    [Fact]
    public Task MOB0023_not_for_known_collections() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Count(IReadOnlyCollection<int> items, SortedSet<string> names) => items.Count; }
        """);

    [Fact]
    public Task MOB0024_cast_returning_a_value() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Cast] public {|MOB0024:int|} A() => 0;
            [Cast] public {|MOB0024:Task<int>|} B() => Task.FromResult(0);
        }
        """);

    [Fact]
    public Task MOB0024_not_for_casts_returning_void_or_tasks() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Cast] public void A() { }
            [Cast] public Task B() => Task.CompletedTask;
            [Cast] public async ValueTask C() => await Task.Yield();
            [Call] public int D() => 0;
        }
        """);

    [Fact]
    public Task MOB0025_call_and_cast() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call, Cast] public void {|MOB0025:M|}() { } }
        """);

    [Fact]
    public Task MOB0025_not_for_one_attribute() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public void M() { } [Cast] public void N() { } }
        """);

    [Fact]
    public Task MOB0026_cancellation_token_on_a_cast_or_not_last() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Cast] public void A(CancellationToken {|MOB0026:token|}) { }
            [Call] public void B(CancellationToken {|MOB0026:token|}, int value) { }
        }
        """);

    [Fact]
    public Task MOB0026_not_for_a_trailing_token_on_a_call() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public Task<int> A(int value, CancellationToken cancellationToken) => Task.FromResult(value); }
        """);

    [Fact]
    public Task MOB0027_overloads_and_clashing_extension_names() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void M(int value) { }
            [Call] public void {|MOB0027:M|}(string value) { }
            [Call] public void N() { }
            [Call] public Task {|MOB0027:NAsync|}() => Task.CompletedTask;
            [Cast] public void {|MOB0027:CounterProcessRefExtensions|}() { }
        }
        """);

    [Fact]
    public Task MOB0027_handler_ids_that_collide() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Cast] public void H65974() { } [Cast] public void {|MOB0027:H142600|}() { } }
        """);

    [Fact]
    public Task MOB0027_not_for_distinct_names_or_overloads_that_are_not_handlers() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void M(int value) { }
            public void M(string value) { }
            [Call] public Task NAsync() => Task.CompletedTask;
            [Cast] public void N() { }
        }
        """);

    [Fact]
    public Task MOB0028_handlers_hidden_by_ProcessRef_members() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void {|MOB0028:Register|}(string name) { }
            [Call] public void {|MOB0028:Stop|}() { }
            [Cast] public void {|MOB0028:WithCallTimeout|}() { }
        }
        """);

    [Fact]
    public Task MOB0028_not_for_other_names() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void Claim(string name) => Register(name);
            [Call] public void Quit() => Stop();
            [Cast] public void Leave() => SendMe(Destination.Node("b"));
        }
        """);
}
