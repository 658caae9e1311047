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
    public Task MOB0001_containing_type_not_partial() => VerifyAsync("""
        using Mobility;
        public class {|MOB0001:Outer|} { [MobileProcess] public partial class Counter { [Cast] public void M() { } } }
        """);

    [Fact]
    public Task MOB0001_not_for_a_partial_class_in_partial_types() => VerifyAsync("""
        using Mobility;
        public partial class Outer { [MobileProcess] public partial class Counter { [Cast] public void M() { } } }
        """);
}
