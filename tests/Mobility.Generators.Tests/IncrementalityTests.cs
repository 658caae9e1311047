using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Mobility.Generators.Tests;

/// <summary>
/// The pipeline caches: a rerun on an unchanged or unrelatedly changed compilation redoes no work
/// downstream of the parser, and no step keeps a symbol, syntax node or compilation alive.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToArray();

    private static readonly Type[] ForbiddenTypes =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel), typeof(Location)];

    [Fact]
    public void Every_tracking_name_names_a_step_that_runs()
    {
        var result = RunTwice(CreateCompilation(), compilation => compilation).First;

        Assert.NotEmpty(StepNames);
        Assert.All(StepNames, name => Assert.True(result.TrackedSteps.ContainsKey(name), $"No step is tracked as '{name}'."));
    }

    [Fact]
    public void Rerun_on_a_cloned_compilation_is_entirely_cached()
    {
        var second = RunTwice(CreateCompilation(), compilation => compilation.Clone()).Second;

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Rerun_after_adding_an_unrelated_file_is_entirely_cached()
    {
        var second = RunTwice(
            CreateCompilation(),
            compilation => compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(
                "namespace Other; public static class Unrelated { public static int Answer => 42; }",
                GeneratorHarness.ParseOptions,
                cancellationToken: TestContext.Current.CancellationToken))).Second;

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Rerun_after_editing_a_handler_body_is_entirely_cached()
    {
        var compilation = CreateCompilation();
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("Zebra", StringComparison.Ordinal));
        var edited = tree.WithChangedText(tree.GetText(TestContext.Current.CancellationToken)
            .Replace(tree.ToString().IndexOf("{ }", StringComparison.Ordinal), 3, "{ System.Console.WriteLine(); }"));

        var second = RunTwice(compilation, c => c.ReplaceSyntaxTree(tree, edited)).Second;

        AssertAllCachedOrUnchanged(second);
    }

    [Fact]
    public void Rerun_after_adding_a_handler_modifies_that_process_model()
    {
        var compilation = CreateCompilation();
        var tree = compilation.SyntaxTrees.Single(t => t.ToString().Contains("Zebra", StringComparison.Ordinal));
        var edited = tree.WithChangedText(tree.GetText(TestContext.Current.CancellationToken)
            .Replace(tree.ToString().IndexOf("[Cast]", StringComparison.Ordinal), 0, "[Call] public int Stripes() => 3; "));

        var second = RunTwice(compilation, c => c.ReplaceSyntaxTree(tree, edited)).Second;

        var reasons = second.TrackedSteps[TrackingNames.ProcessModels].SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        Assert.Contains(reasons, reason => reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged); // the other process
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation()
    {
        var (first, second) = RunTwice(CreateCompilation(), compilation => compilation.Clone());

        foreach (var result in new[] { first, second })
        {
            foreach (var name in StepNames)
            {
                foreach (var step in result.TrackedSteps[name])
                {
                    foreach (var (value, _) in step.Outputs)
                    {
                        AssertHoldsNoCompilerObject(value, name);
                    }
                }
            }
        }
    }

    private static CSharpCompilation CreateCompilation() =>
        GeneratorHarness.CreateCompilation(
            Scenarios.Counter,
            """
            using Mobility;
            namespace Zoo;
            [MobileProcess] public partial class Zebra { [Cast] public void Run() { } }
            """);

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(
        CSharpCompilation compilation, Func<CSharpCompilation, CSharpCompilation> change)
    {
        var driver = GeneratorHarness.CreateDriver(trackSteps: true);
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);
        var first = driver.GetRunResult().Results.Single();
        driver = driver.RunGenerators(change(compilation), TestContext.Current.CancellationToken);
        var second = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        Assert.Null(second.Exception);
        return (first, second);
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (var name in StepNames)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"No step is tracked as '{name}'.");
            foreach (var step in steps)
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step '{name}' produced a {reason} output.");
                }
            }
        }
    }

    /// <summary>Walks a step output through tuples, collections and the generator's model records.</summary>
    private static void AssertHoldsNoCompilerObject(object? value, string path)
    {
        if (value is null or string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(ForbiddenTypes.Any(forbidden => forbidden.IsAssignableFrom(type)), $"{path} holds a {type}.");

        switch (value)
        {
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                {
                    AssertHoldsNoCompilerObject(tuple[i], $"{path}.Item{i + 1}");
                }

                break;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    AssertHoldsNoCompilerObject(item, $"{path}[{index++}]");
                }

                break;
            default:
                Assert.True(
                    type.Assembly == typeof(MobileProcessGenerator).Assembly,
                    $"{path} holds a {type}, which is neither a value, a collection nor a generator model.");
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                {
                    if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
                    {
                        AssertHoldsNoCompilerObject(property.GetValue(value), $"{path}.{property.Name}");
                    }
                }

                break;
        }
    }
}
