using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Mobility.Generators;

namespace Mobility.Analyzers.Tests;

/// <summary>
/// No false positives on the repository's own processes: the sample and the runtime tests' processes,
/// compiled with the generator's output, get not a single diagnostic from the analyzers.
/// </summary>
public sealed class OwnCodeTests
{
    public static TheoryData<string, string[]> Projects => new()
    {
        { "samples/Mobility.Example", ["samples/Mobility.Example/*.cs"] },
        { "samples/Mobility.DoorLock", ["samples/Mobility.DoorLock/*.cs"] },
        { "tests/Mobility.Runtime.Tests/Processes", ["tests/Mobility.Runtime.Tests/Processes/*.cs", "tests/Mobility.Runtime.Tests/Support/Journal.cs"] },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task Analyzers_report_nothing_on_the_repository_processes(string name, string[] patterns)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var root = RepositoryRoot();
        var files = patterns
            .SelectMany(pattern => Directory.GetFiles(Path.Combine(root, Path.GetDirectoryName(pattern)!), Path.GetFileName(pattern)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(files);

        var trees = files
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), TestProject.ParseOptions, path: file, cancellationToken: cancellationToken))
            .Prepend(CSharpSyntaxTree.ParseText(TestProject.ImplicitUsings, TestProject.ParseOptions, path: "GlobalUsings.cs", cancellationToken: cancellationToken));
        var kind = files.Any(file => Path.GetFileName(file) == "Program.cs") ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var compilation = CSharpCompilation.Create(name.Replace('/', '.'), trees, TestProject.References, TestProject.CompilationOptions(kind));

        CSharpGeneratorDriver.Create([new MobileProcessGenerator().AsSourceGenerator()], parseOptions: TestProject.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics, cancellationToken);
        Assert.Empty(generatorDiagnostics);
        Assert.True(generated.SyntaxTrees.Count() > compilation.SyntaxTrees.Count() + 1, $"{name}: the generator produced no process.");
        Assert.Empty(generated.GetDiagnostics(cancellationToken).Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));

        var analyzers = generated.WithAnalyzers(
            [.. TestProject.AllAnalyzers()],
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false));
        var diagnostics = await analyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);

        Assert.True(diagnostics.IsEmpty, $"{name}:{Environment.NewLine}{string.Join(Environment.NewLine, diagnostics)}");
    }

    /// <summary>The directory holding Mobility.slnx, above the test's output directory.</summary>
    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mobility.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Mobility.slnx above {AppContext.BaseDirectory}.");
    }
}
