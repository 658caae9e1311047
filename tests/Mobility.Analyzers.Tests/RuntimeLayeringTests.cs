using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mobility.Analyzers.Tests;

/// <summary>
/// The runtime's folders are its layers (DESIGN §7): Hosting → Nodes → {Processes, Registry, Migration, Monitoring, ...}
/// → Cluster → Transport. Every type a file uses is bound with Roslyn over the runtime's own sources, and a use of a
/// type declared in a folder the file's folder must not reach fails here, with the file and line.
/// </summary>
public sealed class RuntimeLayeringTests
{
    /// <summary>A folder may use its own layer and the layers below it.</summary>
    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Transport"] = 0,
        ["Cluster"] = 1,
        ["Processes"] = 2,
        ["Generated"] = 2,
        ["Registry"] = 2,
        ["Migration"] = 2,
        ["Monitoring"] = 2,
        ["Events"] = 2,
        ["StateMachines"] = 2,
        ["Diagnostics"] = 2,
        ["Nodes"] = 3,
        ["Hosting"] = 4,
    };

    /// <summary>Uses a layer rule alone would allow, and the design forbids.</summary>
    private static readonly (string From, string To, string Why)[] Forbidden =
    [
        ("Processes", "Transport", "a mailbox never touches a socket"),
        ("Registry", "Migration", "the directory records where processes are; it never moves them"),
        ("Registry", "Processes", "the directory knows ids and names, not the processes behind them"),
    ];

    /// <summary>
    /// Types every layer may name: of the public contract, ids and references (how layers speak of processes), the base
    /// exception and the node's configuration (read by every layer, set by the host); of the wire format, the markers
    /// every message puts on its strings (formatting, not sockets).
    /// </summary>
    private static readonly HashSet<string> Contract = new(StringComparer.Ordinal)
    {
        "Mobility.ProcessId",
        "Mobility.ProcessRef",
        "Mobility.MobilityException",
        "Mobility.MobilityOptions",
        "Mobility.MobilityTlsOptions",
        "Mobility.Transport.CheckedStringAttribute",
        "Mobility.Transport.RecurringStringAttribute",
    };

    /// <summary>Files a layer rule does not apply to, and why.</summary>
    private static readonly Dictionary<string, string> Exempt = new(StringComparer.Ordinal)
    {
        ["Cluster/ClusterProtocol.cs"] = "the frozen table of union tags names every subsystem's messages (MemoryPack's other way, a union formatter declared higher up, adds a public type)",
    };

    [Fact]
    public void Every_folder_uses_only_the_layers_below_it()
    {
        var (compilation, folders) = CompileRuntime();
        var violations = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!folders.TryGetValue(tree.FilePath, out var from) || Exempt.ContainsKey(RuntimeRelative(tree.FilePath)))
            {
                continue;
            }

            foreach (var directive in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<UsingDirectiveSyntax>())
            {
                // A using of a layer above is a dependency in waiting (or a stale one): it fails like a use.
                var parts = directive.Name?.ToString().Split('.') ?? [];
                if (parts is ["Mobility", var layer, ..] && Layers.TryGetValue(layer, out var rank) && rank > Layers[from])
                {
                    violations.Add($"{Relative(tree.FilePath)}:{directive.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {from} imports {directive.Name} ({layer} is above {from})");
                }
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot(TestContext.Current.CancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                if (name.Ancestors().Any(ancestor => ancestor is UsingDirectiveSyntax || (ancestor is NameSyntax && ancestor.Parent is BaseNamespaceDeclarationSyntax)) ||
                    name.Parent is BaseNamespaceDeclarationSyntax)
                {
                    continue;
                }

                if (TypeOf(model, name) is not { } type || FolderOf(type, folders) is not { } to || to == from || Allowed(from, to, type, out _))
                {
                    continue;
                }

                Allowed(from, to, type, out var why);
                violations.Add($"{Relative(tree.FilePath)}:{name.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {from} uses {type.ToDisplayString()} ({to}): {why}");
            }
        }

        Assert.True(violations.Count == 0, $"{violations.Count} layering violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Distinct())}");
    }

    [Fact]
    public void Every_partial_type_lives_in_one_folder()
    {
        var (compilation, folders) = CompileRuntime();
        var split = compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>()
                .Select(declaration => compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)))
            .OfType<INamedTypeSymbol>()
            .Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .Select(type => (Type: type, Folders: type.Locations.Where(location => location.IsInSource)
                .Select(location => folders.GetValueOrDefault(location.SourceTree!.FilePath)).Distinct().ToArray()))
            .Where(entry => entry.Folders.Length > 1)
            .Select(entry => $"{entry.Type.ToDisplayString()}: {string.Join(", ", entry.Folders)}")
            .ToArray();

        Assert.True(split.Length == 0, $"Partial types across folders:{Environment.NewLine}{string.Join(Environment.NewLine, split)}");
    }

    [Fact]
    public void Internal_types_live_in_the_namespace_of_their_folder()
    {
        var (compilation, folders) = CompileRuntime();
        var misplaced = compilation.SyntaxTrees
            .Where(tree => folders.ContainsKey(tree.FilePath))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<BaseTypeDeclarationSyntax>()
                .Where(declaration => declaration.Parent is BaseNamespaceDeclarationSyntax)
                .Select(declaration => (Tree: tree, Type: compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration))))
            .Where(entry => entry.Type is { DeclaredAccessibility: not Accessibility.Public })
            .Where(entry => !entry.Type!.ContainingNamespace.ToDisplayString().StartsWith($"Mobility.{folders[entry.Tree.FilePath]}", StringComparison.Ordinal))
            .Select(entry => $"{Relative(entry.Tree.FilePath)}: {entry.Type!.ToDisplayString()}")
            .Distinct()
            .ToArray();

        Assert.True(misplaced.Length == 0, $"Internal types outside their folder's namespace:{Environment.NewLine}{string.Join(Environment.NewLine, misplaced)}");
    }

    private static bool Allowed(string from, string to, INamedTypeSymbol type, out string why)
    {
        if (Forbidden.FirstOrDefault(rule => rule.From == from && rule.To == to) is { Why: { } reason } &&
            !Contract.Contains(type.OriginalDefinition.ToDisplayString()))
        {
            why = reason;
            return false;
        }

        if (Layers[to] <= Layers[from] || Contract.Contains(type.OriginalDefinition.ToDisplayString()))
        {
            why = string.Empty;
            return true;
        }

        why = $"{to} is above {from}";
        return false;
    }

    /// <summary>The type a name stands for: the type itself, or the type of the member it names.</summary>
    private static INamedTypeSymbol? TypeOf(SemanticModel model, SimpleNameSyntax name)
    {
        var info = model.GetSymbolInfo(name);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
        return symbol switch
        {
            INamedTypeSymbol type => type,
            IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => constructor.ContainingType,
            IMethodSymbol or IFieldSymbol or IPropertySymbol or IEventSymbol => symbol.ContainingType,
            _ => null,
        };
    }

    private static string? FolderOf(INamedTypeSymbol type, Dictionary<string, string> folders)
    {
        for (var outer = type.OriginalDefinition; outer is not null; outer = outer.ContainingType)
        {
            if (outer.ContainingType is null)
            {
                return outer.Locations.Where(location => location.IsInSource).Select(location => folders.GetValueOrDefault(location.SourceTree!.FilePath)).FirstOrDefault();
            }
        }

        return null;
    }

    private static (CSharpCompilation Compilation, Dictionary<string, string> Folders) CompileRuntime()
    {
        var runtime = Path.Combine(OwnCodeTests.RepositoryRoot(), "Mobility.Runtime");
        var files = Directory.GetFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                           !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var folders = files.ToDictionary(file => file, file => Path.GetRelativePath(runtime, file).Split(Path.DirectorySeparatorChar)[0], StringComparer.Ordinal);
        var parseOptions = TestProject.ParseOptions.WithLanguageVersion(LanguageVersion.Preview); // the runtime is written in the newest C#
        var trees = files.Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), parseOptions, path: file))
            .Append(CSharpSyntaxTree.ParseText(TestProject.ImplicitUsings, parseOptions, path: "GlobalUsings.cs"));

        // The runtime's own sources instead of its assembly; its generated halves (MemoryPack, logging) are not run:
        // what they would add is not code this test judges.
        var runtimeAssembly = typeof(MobileProcessAttribute).Assembly.Location;
        var references = TestProject.References.Where(reference => reference is PortableExecutableReference { FilePath: { } path } && path != runtimeAssembly);
        var compilation = CSharpCompilation.Create("Mobility.Runtime.Layering", trees, references, TestProject.CompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Contains(folders.Values, folder => folder == "Nodes");
        Assert.All(folders.Values.Distinct(), folder => Assert.True(Layers.ContainsKey(folder), $"The runtime folder '{folder}' has no layer: add it to {nameof(Layers)}."));
        return (compilation, folders);
    }

    private static string Relative(string path) => Path.GetRelativePath(OwnCodeTests.RepositoryRoot(), path);

    private static string RuntimeRelative(string path) =>
        Path.GetRelativePath(Path.Combine(OwnCodeTests.RepositoryRoot(), "Mobility.Runtime"), path).Replace(Path.DirectorySeparatorChar, '/');
}
