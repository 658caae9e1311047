using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mobility.Analyzers.CodeFixes;

/// <summary>
/// MOB0001: adds <c>partial</c> to every declaration of the flagged type and of the types containing
/// it, in whichever documents they are.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NotPartial.Id);

    /// <inheritdoc />
    /// <remarks>
    /// Every non-partial declaration has its own diagnostic, so fixing all of them means adding
    /// 'partial' to exactly the flagged declarations, in one pass per document (the batch fixer would
    /// see the single fixes overlap, each also touching the containing types).
    /// </remarks>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (_, document, diagnostics) =>
    {
        var root = await document.GetSyntaxRootAsync().ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var nodes = diagnostics
            .Select(diagnostic => Declaration(root, diagnostic))
            .OfType<TypeDeclarationSyntax>()
            .Where(node => !node.Modifiers.Any(SyntaxKind.PartialKeyword))
            .Distinct()
            .ToArray();
        return document.WithSyntaxRoot(root.ReplaceNodes(nodes, (_, rewritten) => AddPartial(rewritten)));
    });

    private static TypeDeclarationSyntax? Declaration(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var declaration = Declaration(root, diagnostic);
            if (declaration is null || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    type.ContainingType is null ? $"Make '{type.Name}' partial" : $"Make '{type.Name}' and the types containing it partial",
                    cancellationToken => MakePartialAsync(context.Document.Project.Solution, type, cancellationToken),
                    equivalenceKey: nameof(MakePartialCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Solution> MakePartialAsync(Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var declarations = new List<SyntaxReference>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            declarations.AddRange(current.DeclaringSyntaxReferences);
        }

        foreach (var byTree in declarations.GroupBy(reference => reference.SyntaxTree))
        {
            var document = solution.GetDocument(byTree.Key);
            if (document is null)
            {
                continue; // generated or not in this solution
            }

            var root = await byTree.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            var nodes = byTree
                .Select(reference => reference.GetSyntax(cancellationToken))
                .OfType<TypeDeclarationSyntax>()
                .Where(node => !node.Modifiers.Any(SyntaxKind.PartialKeyword))
                .ToArray();
            if (nodes.Length == 0)
            {
                continue;
            }

            var newRoot = root.ReplaceNodes(nodes, (_, rewritten) => AddPartial(rewritten));
            solution = solution.WithDocumentSyntaxRoot(document.Id, newRoot);
        }

        return solution;
    }

    /// <summary>Adds 'partial' as the last modifier, right before the type keyword, as C# requires.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Count == 0)
        {
            var keyword = declaration.Keyword;
            var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
