using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Mobility.Generators;

namespace Mobility.Analyzers.Tests;

/// <summary>
/// What every test compilation gets: the framework of this very process (its trusted platform
/// assemblies), the Mobility runtime and the packages it exposes, the implicit usings of a .NET
/// project, nullable and unsafe code enabled, and the Mobility generator, so Self, SendMe and the
/// generated extension methods exist as in a real build. Nothing is downloaded.
/// </summary>
internal static class TestProject
{
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> References = CreateReferences();

    /// <summary>No reference package: <see cref="References"/> is the whole framework.</summary>
    public static readonly ReferenceAssemblies NoPackages = new("net10.0");

    public static CSharpCompilationOptions CompilationOptions(OutputKind kind = OutputKind.DynamicallyLinkedLibrary) =>
        new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                // As the SDK does (NoWarn 1701;1702): version unification is not a defect of the code.
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });

    public static DiagnosticAnalyzer[] AllAnalyzers() =>
    [
        new ProcessDeclarationAnalyzer(),
        new ProcessStateAnalyzer(),
        new HandlerAnalyzer(),
        new ProcessLoopAnalyzer(),
        new NewProcessAnalyzer(),
        new StateMachineAnalyzer(),
        new MonitoringAnalyzer(),
    ];

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        // The framework's own assemblies (the trusted platform assemblies from its directory) ...
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal));

        // ... the runtime, MemoryPack, and the Microsoft.Extensions packages a Mobility user compiles against.
        var mobility = new[] { typeof(MobileProcessAttribute).Assembly.Location, typeof(MemoryPack.MemoryPackWriter<>).Assembly.Location };
        var extensions = Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.Extensions.*.dll");

        return [.. framework.Concat(mobility).Concat(extensions).Distinct(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path))];
    }

    public static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(References);
        state.Sources.Add(("/0/GlobalUsings.cs", ImplicitUsings));
    }

    public static Solution ApplyOptions(Solution solution, ProjectId projectId)
    {
        var project = solution.GetProject(projectId)!;
        return solution
            .WithProjectCompilationOptions(projectId, CompilationOptions(project.CompilationOptions!.OutputKind))
            .WithProjectParseOptions(projectId, ParseOptions);
    }
}

/// <summary>An analyzer test over a Mobility user project (see <see cref="TestProject"/>).</summary>
internal sealed class AnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public AnalyzerTest(string source)
    {
        ReferenceAssemblies = TestProject.NoPackages;
        TestCode = source;
        TestProject.Configure(TestState);
        SolutionTransforms.Add(TestProject.ApplyOptions);
        // The generated sources are the generator tests' concern, pinned by their snapshots.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(MobileProcessGenerator)];
}

/// <summary>A code fix test over a Mobility user project (see <see cref="TestProject"/>).</summary>
internal sealed class CodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource)
    {
        ReferenceAssemblies = TestProject.NoPackages;
        TestCode = source;
        FixedCode = fixedSource;
        TestProject.Configure(TestState);
        TestProject.Configure(FixedState);
        SolutionTransforms.Add(TestProject.ApplyOptions);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(MobileProcessGenerator)];
}

internal static class Verify
{
    /// <summary>Runs <typeparamref name="TAnalyzer"/> over <paramref name="source"/>: exactly the diagnostics its markup shows.</summary>
    public static Task AnalyzerAsync<TAnalyzer>(string source)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        new AnalyzerTest<TAnalyzer>(source).RunAsync(TestContext.Current.CancellationToken);

    public static Task CodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new() =>
        new CodeFixTest<TAnalyzer, TCodeFix>(source, fixedSource).RunAsync(TestContext.Current.CancellationToken);
}
