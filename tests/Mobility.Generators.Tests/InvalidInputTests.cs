namespace Mobility.Generators.Tests;

/// <summary>
/// On input it cannot generate for, the generator quietly emits nothing for that type (the analyzers
/// explain why): no exception, no file, no registration, and no error of its own making.
/// </summary>
public sealed class InvalidInputTests
{
    public static TheoryData<string, string> Cases => Mobility.Tests.Shared.InvalidProcessCases.All;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_process_gets_no_file_and_no_registration(string reason, string declaration)
    {
        var run = GeneratorHarness.Run(Wrap(declaration));

        Assert.True(
            run.HintNames.SequenceEqual([GeneratorHarness.RegistrationsHintName]),
            $"{reason}: expected only the registrations file, got {string.Join(", ", run.HintNames)}.");
        Assert.DoesNotContain("AddMobileProcess<", run.Source(GeneratorHarness.RegistrationsHintName), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_process_causes_no_compilation_error(string reason, string declaration)
    {
        var run = GeneratorHarness.Run(Wrap(declaration));

        Assert.True(run.ErrorsCausedByGenerator().Count == 0, $"{reason}: {string.Join(Environment.NewLine, run.ErrorsCausedByGenerator())}");
    }

    [Fact]
    public void Valid_process_beside_an_invalid_one_is_still_generated_and_registered()
    {
        var run = GeneratorHarness.Run(Wrap("[MobileProcess] public class Bad { } [MobileProcess] public partial class Good { [Cast] public void M() { } }"));

        Assert.Equal(["Demo.Good.Mobility.g.cs", GeneratorHarness.RegistrationsHintName], run.HintNames.Order(StringComparer.Ordinal));
        Assert.Contains("AddMobileProcess<global::Demo.Good>(services);", run.Source(GeneratorHarness.RegistrationsHintName), StringComparison.Ordinal);
        Assert.Empty(run.ErrorsCausedByGenerator());
    }

    [Fact]
    public void Nested_process_whose_flat_name_a_top_level_process_has_is_skipped()
    {
        var run = GeneratorHarness.Run(Wrap("""
            [MobileProcess] public partial class Outer_Inner { [Cast] public void M() { } }
            public partial class Outer { [MobileProcess] public partial class Inner { [Cast] public void M() { } } }
            """));

        Assert.Equal(["Demo.Outer_Inner.Mobility.g.cs", GeneratorHarness.RegistrationsHintName], run.HintNames.Order(StringComparer.Ordinal));
        Assert.Empty(run.ErrorsCausedByGenerator());
    }

    private static string Wrap(string declaration) => $$"""
        using Mobility;

        namespace Demo;

        {{declaration}}
        """;
}
