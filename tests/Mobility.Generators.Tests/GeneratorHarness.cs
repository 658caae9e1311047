using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mobility.Generators.Tests;

/// <summary>Builds test compilations against the Mobility runtime and runs the generator over them.</summary>
internal static class GeneratorHarness
{
    public const string RegistrationsHintName = "Mobility.MobileProcesses.g.cs";

    /// <summary>Documentation comments are parsed and checked, as in a project that generates its XML docs.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>The framework, plus what a project referencing the Mobility package compiles against.</summary>
    public static readonly ImmutableArray<MetadataReference> References = CreateReferences();

    private static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            // As the .NET SDK does (NoWarn 1701;1702): assembly version unification between the
            // packages and the newer framework they run on is not a defect of the code.
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    /// <summary>A library project with <c>ImplicitUsings</c>, nullable and unsafe code enabled.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Mobility.Generators.Tests.Input",
            sources.Prepend(Scenarios.ImplicitUsings).Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{i}.cs")),
            References,
            CompilationOptions);

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new MobileProcessGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; fails the test if it threw or reported anything.</summary>
    public static GeneratorRun Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics, TestContext.Current.CancellationToken);
        Assert.Empty(diagnostics);
        var result = driver.GetRunResult();
        Assert.All(result.Results, generator => Assert.Null(generator.Exception));
        return new GeneratorRun(compilation, output, result);
    }

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        // The framework's own assemblies (the host's trusted platform assemblies from its directory) ...
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal));

        // ... and the runtime with the packages its public surface exposes.
        var mobility = new[]
        {
            typeof(MobileProcessAttribute).Assembly,
            typeof(MemoryPack.MemoryPackWriter<>).Assembly,
            typeof(IServiceCollection).Assembly,
            typeof(ILogger).Assembly,
        }.Select(assembly => assembly.Location);

        return [.. framework.Concat(mobility).Distinct(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>One generator run: the input, the input plus generated trees, and what the driver reports.</summary>
internal sealed record GeneratorRun(CSharpCompilation Input, Compilation Output, GeneratorDriverRunResult Result)
{
    public ImmutableArray<GeneratedSourceResult> Sources => Result.Results.Single().GeneratedSources;

    public IEnumerable<string> HintNames => Sources.Select(source => source.HintName);

    public string Source(string hintName)
    {
        var source = Sources.SingleOrDefault(s => s.HintName == hintName);
        Assert.True(source.HintName is not null, $"No file '{hintName}' was generated; got: {string.Join(", ", HintNames)}.");
        return source.SourceText.ToString();
    }

    /// <summary>Errors of the output compilation that the input alone does not have, or that lie in generated code.</summary>
    public IReadOnlyList<Diagnostic> ErrorsCausedByGenerator()
    {
        var inputErrors = Input.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (d.Id, d.Location.SourceTree?.FilePath, d.Location.SourceSpan))
            .ToHashSet();
        return Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Where(d => !inputErrors.Contains((d.Id, d.Location.SourceTree?.FilePath, d.Location.SourceSpan))
                || d.Location.SourceTree is { } tree && !Input.SyntaxTrees.Contains(tree))
            .ToList();
    }

    /// <summary>Diagnostics of the output compilation, minus missing XML comments on the test's own input.</summary>
    public IReadOnlyList<Diagnostic> OutputDiagnostics() =>
        Output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity != DiagnosticSeverity.Hidden)
            .Where(d => !(d.Id == "CS1591" && d.Location.SourceTree is { } tree && Input.SyntaxTrees.Contains(tree)))
            .ToList();
}
