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
/// MOB0011–MOB0014: marks the state field (its whole declaration) or auto-property <c>[Transient]</c>,
/// so it stays behind and is injected or recreated after each move.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkTransientCodeFix)), Shared]
public sealed class MarkTransientCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Descriptors.StateNotEncodable.Id,
        Descriptors.StateMaybeNotEncodable.Id,
        Descriptors.StateResource.Id,
        Descriptors.StateDisposable.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var member = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?
                .AncestorsAndSelf()
                .FirstOrDefault(node => node is FieldDeclarationSyntax or PropertyDeclarationSyntax) as MemberDeclarationSyntax;
            if (member is null)
            {
                continue;
            }

            var name = root.FindToken(diagnostic.Location.SourceSpan.Start).ValueText;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Mark '{name}' [Transient]",
                    cancellationToken => MarkTransientAsync(context.Document, member, cancellationToken),
                    equivalenceKey: nameof(MarkTransientCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> MarkTransientAsync(Document document, MemberDeclarationSyntax member, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // 'Transient' where it resolves to Mobility.TransientAttribute (a 'using Mobility;' is in scope), else qualified.
        var transient = model.Compilation.GetTypeByMetadataName("Mobility.TransientAttribute");
        var shortName = model.LookupNamespacesAndTypes(member.SpanStart, name: "TransientAttribute").FirstOrDefault();
        NameSyntax attributeName = SymbolEqualityComparer.Default.Equals(shortName, transient)
            ? SyntaxFactory.IdentifierName("Transient")
            : SyntaxFactory.ParseName("global::Mobility.Transient");

        // [Transient] goes on its own line, indented like the member, after any attributes it has.
        var endOfLine = root.DescendantTrivia().FirstOrDefault(trivia => trivia.IsKind(SyntaxKind.EndOfLineTrivia));
        if (endOfLine == default)
        {
            endOfLine = SyntaxFactory.EndOfLine("\n");
        }

        var indentation = member.GetLeadingTrivia().LastOrDefault(trivia => trivia.IsKind(SyntaxKind.WhitespaceTrivia));
        var attributeList = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(attributeName)));
        MemberDeclarationSyntax marked;
        if (member.AttributeLists.Count == 0)
        {
            marked = member
                .WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation))
                .WithAttributeLists(SyntaxFactory.SingletonList(attributeList
                    .WithLeadingTrivia(member.GetLeadingTrivia())
                    .WithTrailingTrivia(endOfLine)));
        }
        else
        {
            marked = member.WithAttributeLists(member.AttributeLists.Add(attributeList
                .WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation))
                .WithTrailingTrivia(endOfLine)));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(member, marked));
    }
}
