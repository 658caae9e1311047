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

    public static TheoryData<string, string> Skipped
    {
        get
        {
            var cases = Mobility.Tests.Shared.InvalidProcessCases.All;
            // Only here: its top-level twin is valid and generated; the nested process "Bad" is the one skipped.
            cases.Add(
                "nested process with a top-level twin's flat name",
                "[MobileProcess] public partial class Outer_Bad { } public partial class Outer { [MobileProcess] public partial class Bad { } }");
            return cases;
        }
    }

    public static TheoryData<string, string> Generated => new()
    {
        { "a state machine with shared events, enter callbacks and timeouts", """
            public enum Light { Off, On, Broken }
            [MobileProcess, StateMachine(typeof(Light), Initial = Light.Off)]
            public partial class Lamp
            {
                private int _presses;
                [Cast(Event = "Press"), When(Light.Off)] public void PressWhileOff() { _presses++; NextState(Light.On); }
                [Cast(Event = "Press"), When(Light.On)] public void PressWhileOn() => NextState(Light.Off);
                [Cast(Event = "Press")] public void PressOtherwise() => Postpone();
                [Call] public string Status() => $"{State} after {_presses}";
                [Cast] public void Fail() => NextState(Light.Broken);
                [StateEnter(Light.On)] private void OnOn(Light previous) { SetStateTimeout(TimeSpan.FromSeconds(1), self => self.Fail()); SetTimeout("t", TimeSpan.FromSeconds(1), self => self.Fail()); }
            }
            """ },
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
