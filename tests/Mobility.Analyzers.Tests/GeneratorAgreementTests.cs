using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Mobility.Generators;

namespace Mobility.Analyzers.Tests;

/// <summary>
/// The generator quietly emits nothing for a class it cannot generate; the analyzers must say why.
/// Every invalid input the generator skips gets an error (a MOB error, or the compiler's own), and
/// every class it generates gets no MOB error.
/// </summary>
public sealed class GeneratorAgreementTests
{
    /// <summary>Inputs the compiler itself rejects: its error is the explanation.</summary>
    private static readonly HashSet<string> CompilerExplains = ["parameter of an unknown type", "attribute applied twice"];

    public static TheoryData<string, string> Skipped => new()
    {
        { "class not partial", "[MobileProcess] public class Bad { }" },
        { "containing type not partial", "public class Outer { [MobileProcess] public partial class Bad { } }" },
        { "generic class", "[MobileProcess] public partial class Bad<T> { }" },
        { "generic containing type", "public partial class Outer<T> { [MobileProcess] public partial class Bad { } }" },
        { "abstract class", "[MobileProcess] public abstract partial class Bad { }" },
        { "static class", "[MobileProcess] public static partial class Bad { }" },
        { "record", "[MobileProcess] public partial record Bad { }" },
        { "private nested class", "public partial class Outer { [MobileProcess] private partial class Bad { } }" },
        { "protected nested class", "public partial class Outer { [MobileProcess] protected partial class Bad { } }" },
        { "file-local class", "[MobileProcess] file partial class Bad { }" },
        { "base class other than object", "public class Base { } [MobileProcess] public partial class Bad : Base { }" },
        { "member name reserved for generated code", "[MobileProcess] public partial class Bad { private int __mobilityContext; public int Get() => __mobilityContext++; }" },
        { "method both call and cast", "[MobileProcess] public partial class Bad { [Call, Cast] public void M() { } }" },
        { "static handler", "[MobileProcess] public partial class Bad { [Call] public static int M() => 0; }" },
        { "generic handler", "[MobileProcess] public partial class Bad { [Call] public T M<T>(T value) => value; }" },
        { "ref parameter", "[MobileProcess] public partial class Bad { [Call] public void M(ref int value) { } }" },
        { "out parameter", "[MobileProcess] public partial class Bad { [Call] public void M(out int value) => value = 0; }" },
        { "in parameter", "[MobileProcess] public partial class Bad { [Call] public void M(in int value) { } }" },
        { "params parameter", "[MobileProcess] public partial class Bad { [Call] public void M(params int[] values) { } }" },
        { "pointer parameter", "[MobileProcess] public unsafe partial class Bad { [Call] public void M(int* value) { } }" },
        { "function pointer parameter", "[MobileProcess] public unsafe partial class Bad { [Call] public void M(delegate*<void> value) { } }" },
        { "ref struct parameter", "[MobileProcess] public partial class Bad { [Call] public void M(Span<int> value) { } }" },
        { "dynamic parameter", "[MobileProcess] public partial class Bad { [Call] public void M(dynamic value) { } }" },
        { "parameter of a private nested type", "[MobileProcess] public partial class Bad { private sealed class Secret { } [Call] private void M(Secret value) { } }" },
        { "parameter of an unknown type", "[MobileProcess] public partial class Bad { [Call] public void M(Missing value) { } }" },
        { "ref return", "[MobileProcess] public partial class Bad { private int _x; [Call] public ref int M() => ref _x; }" },
        { "ref struct return", "[MobileProcess] public partial class Bad { [Call] public Span<int> M() => default; }" },
        { "cast returning a value", "[MobileProcess] public partial class Bad { [Cast] public int M() => 0; }" },
        { "cast returning Task<T>", "[MobileProcess] public partial class Bad { [Cast] public Task<int> M() => Task.FromResult(0); }" },
        { "cast taking a CancellationToken", "[MobileProcess] public partial class Bad { [Cast] public void M(CancellationToken token) { } }" },
        { "CancellationToken not last", "[MobileProcess] public partial class Bad { [Call] public void M(CancellationToken token, int value) { } }" },
        { "overloaded calls", "[MobileProcess] public partial class Bad { [Call] public void M(int value) { } [Call] public void M(string value) { } }" },
        { "call and cast of one name", "[MobileProcess] public partial class Bad { [Call] public void M(int value) { } [Cast] public void M(string value) { } }" },
        { "calls M and MAsync", "[MobileProcess] public partial class Bad { [Call] public void M() { } [Call] public Task MAsync() => Task.CompletedTask; }" },
        { "handler id collision", "[MobileProcess] public partial class Bad { [Cast] public void H65974() { } [Cast] public void H142600() { } }" },
        { "handler on a property accessor", "[MobileProcess] public partial class Bad { public int P { [Call] get; set; } }" },
        { "field-like event", "[MobileProcess] public partial class Bad { public event EventHandler? Changed; [Call] public void M() => Changed?.Invoke(this, EventArgs.Empty); }" },
        { "state field of pointer type", "[MobileProcess] public unsafe partial class Bad { private int* _p; [Call] public int M() => *_p; }" },
        { "state field of dynamic type", "[MobileProcess] public partial class Bad { private dynamic _d = 1; [Call] public int M() => (int)_d; }" },
        { "hook name taken by a property", "[MobileProcess] public partial class Bad { public int OnStarted { get; set; } }" },
        { "static hook", "[MobileProcess] public partial class Bad { private static void OnStopping() { } }" },
        { "hook implementation returning a value", "[MobileProcess] public partial class Bad { public partial int OnStarted() => 0; }" },
        { "virtual hook implementation", "[MobileProcess] public partial class Bad { public virtual partial void OnStarted() { } }" },
        { "class named like a lifecycle hook", "public partial class Outer { [MobileProcess] public partial class OnArrived { } }" },
        { "extension named like its extension class", "[MobileProcess] public partial class Bad { [Cast] public void BadProcessRefExtensions() { } }" },
        { "extension class name taken", "[MobileProcess] public partial class Bad { } public static class BadProcessRefExtensions { }" },
        { "attribute applied twice", "[MobileProcess] public partial class Bad { } [MobileProcess] public partial class Bad { }" },
        { "nested process with a top-level twin's flat name", "[MobileProcess] public partial class Outer_Bad { } public partial class Outer { [MobileProcess] public partial class Bad { } }" },
    };

    public static TheoryData<string, string> Generated => new()
    {
        { "the design's counter", """
            using Microsoft.Extensions.Logging;
            [MobileProcess] public partial class Counter
            {
                private int _count;
                private List<string> _history = new();
                [Transient] private readonly ILogger<Counter> _log;
                public Counter(ILogger<Counter> log) => _log = log;
                [Call] public int Increment(int by) { _count += by; _history.Add($"+{by}"); return _count; }
                [Cast] public void Reset() => _count = 0;
                [Call] public async ValueTask<string> Describe(CancellationToken cancellationToken) { await Task.Delay(1, cancellationToken); return $"{_count}"; }
                [Call] public void Leave(string nodeName) => SendMe(Destination.Node(nodeName));
                [Call] public void Quit() => Stop();
                partial void OnArrived(MigrationInfo info) => _log.LogInformation("arrived from {Node}", info.SourceNode);
            }
            """ },
        { "nested three partial types deep", """
            public static partial class Outer { public partial record Middle { internal readonly partial struct Holder {
                [MobileProcess] public partial class Inner { private long _ticks; [Call] public long Tick() => ++_ticks; [Call] public ProcessRef<Inner> Me() => Self; }
            } } }
            """ },
        { "internal handler types and ordinary hooks", """
            [MemoryPack.MemoryPackable] internal sealed partial record Note(string Text);
            [MobileProcess] public partial class Notes
            {
                private readonly List<string> _texts = new();
                public void OnStarted() { }
                public void OnLeaving(MigrationInfo info) { }
                [Cast] internal void Add(Note note) => _texts.Add(note.Text);
                [Call] public int Count() => _texts.Count;
            }
            """ },
    };

    [Theory]
    [MemberData(nameof(Skipped))]
    public async Task A_class_the_generator_skips_gets_an_error_that_says_why(string reason, string declaration)
    {
        var (compilation, generatedForIt) = Generate(declaration, "Bad");
        Assert.False(generatedForIt, $"{reason}: the generator did generate it.");

        var analyzerErrors = (await AnalyzeAsync(compilation)).Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToList();
        if (CompilerExplains.Contains(reason))
        {
            Assert.Contains(compilation.GetDiagnostics(TestContext.Current.CancellationToken), diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);
        }
        else
        {
            Assert.True(analyzerErrors.Count > 0, $"{reason}: no MOB error explains why nothing was generated.");
            Assert.All(analyzerErrors, diagnostic => Assert.StartsWith("MOB", diagnostic.Id, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Generated))]
    public async Task A_class_the_generator_generates_gets_no_error(string reason, string declaration)
    {
        var (compilation, _) = Generate(declaration, "");
        Assert.Empty(compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        var diagnostics = await AnalyzeAsync(compilation);
        Assert.True(diagnostics.IsEmpty, $"{reason}: {string.Join(Environment.NewLine, diagnostics)}");
    }

    private static (Compilation Output, bool GeneratedForType) Generate(string declaration, string typeName)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var source = $$"""
            using Mobility;

            namespace Demo;

            {{declaration}}
            """;
        var compilation = CSharpCompilation.Create(
            "Agreement",
            [
                CSharpSyntaxTree.ParseText(TestProject.ImplicitUsings, TestProject.ParseOptions, "GlobalUsings.cs", cancellationToken: cancellationToken),
                CSharpSyntaxTree.ParseText(source, TestProject.ParseOptions, "Input.cs", cancellationToken: cancellationToken),
            ],
            TestProject.References,
            TestProject.CompilationOptions());
        var driver = CSharpGeneratorDriver.Create([new MobileProcessGenerator().AsSourceGenerator()], parseOptions: TestProject.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _, cancellationToken);
        var hints = driver.GetRunResult().Results.Single().GeneratedSources.Select(generated => generated.HintName);
        return (output, typeName.Length > 0 && hints.Any(hint => hint.Contains("." + typeName + ".", StringComparison.Ordinal)));
    }

    private static Task<System.Collections.Immutable.ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation) =>
        compilation.WithAnalyzers([.. TestProject.AllAnalyzers()]).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
}
