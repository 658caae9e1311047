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
using Microsoft.CodeAnalysis.Simplification;

namespace Mobility.Analyzers.CodeFixes;

/// <summary>
/// MOB0040: replaces <c>new X(...)</c> with <c>await node.SpawnAsync&lt;X&gt;()</c>, where that is
/// trivial: inside an async method or lambda, with a <c>MobilityNode</c> in scope (a local, a
/// parameter, or a field or property of the enclosing type), and no object initializer. The
/// constructor's arguments go: dependency injection supplies them. The result is now a
/// <c>ProcessRef&lt;X&gt;</c>, so code that used the object must move to its generated methods.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SpawnInsteadOfNewCodeFix)), Shared]
public sealed class SpawnInsteadOfNewCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NewProcess.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax { Initializer: null } creation
                || model.GetTypeInfo(creation, context.CancellationToken).Type is not INamedTypeSymbol processType
                || !InAsyncFunction(creation, model, context.CancellationToken)
                || FindNode(creation, model, context.CancellationToken) is not { } node)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Spawn with '{node}.SpawnAsync<{processType.Name}>()'",
                    cancellationToken => SpawnAsync(context.Document, creation, processType, node, cancellationToken),
                    equivalenceKey: nameof(SpawnInsteadOfNewCodeFix)),
                diagnostic);
        }
    }

    private static bool InAsyncFunction(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case CompilationUnitSyntax:
                    // Top-level statements are async when they await anything.
                    return model.GetEnclosingSymbol(node.SpanStart, cancellationToken) is IMethodSymbol { IsAsync: true };
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The name of a MobilityNode usable at the creation's position, or null.</summary>
    private static string? FindNode(SyntaxNode creation, SemanticModel model, CancellationToken cancellationToken)
    {
        var mobilityNode = model.Compilation.GetTypeByMetadataName("Mobility.MobilityNode");
        if (mobilityNode is null)
        {
            return null;
        }

        var enclosing = model.GetEnclosingSymbol(creation.SpanStart, cancellationToken);
        var inStaticCode = enclosing is { IsStatic: true } || enclosing?.ContainingSymbol is IMethodSymbol { IsStatic: true } && enclosing is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction };
        foreach (var symbol in model.LookupSymbols(creation.SpanStart))
        {
            var (type, usable) = symbol switch
            {
                ILocalSymbol local => (local.Type, local.DeclaringSyntaxReferences.All(reference => reference.Span.End <= creation.SpanStart)),
                IParameterSymbol parameter => (parameter.Type, true),
                IFieldSymbol field => (field.Type, field.IsStatic || !inStaticCode),
                IPropertySymbol property => (property.Type, (property.IsStatic || !inStaticCode) && property.GetMethod is not null),
                _ => (null, false),
            };

            if (usable && SymbolEqualityComparer.Default.Equals(type, mobilityNode))
            {
                return symbol.Name;
            }
        }

        return null;
    }

    private static async Task<Document> SpawnAsync(Document document, BaseObjectCreationExpressionSyntax creation, INamedTypeSymbol processType, string node, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var typeSyntax = creation is ObjectCreationExpressionSyntax { Type: var written }
            ? written.WithoutTrivia()
            : SyntaxFactory.ParseTypeName(processType.ToMinimalDisplayString(
                (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!, creation.SpanStart));
        var spawn = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxFactory.IdentifierName(node),
                SyntaxFactory.GenericName(SyntaxFactory.Identifier("SpawnAsync"), SyntaxFactory.TypeArgumentList(SyntaxFactory.SingletonSeparatedList(typeSyntax)))));
        var awaited = SyntaxFactory.AwaitExpression(spawn);
        ExpressionSyntax replacement = NeedsParentheses(creation)
            ? SyntaxFactory.ParenthesizedExpression(awaited).WithAdditionalAnnotations(Simplifier.Annotation)
            : awaited;
        return document.WithSyntaxRoot(root.ReplaceNode(creation, replacement.WithTriviaFrom(creation)));
    }

    private static bool NeedsParentheses(SyntaxNode creation) =>
        creation.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax or InvocationExpressionSyntax;
}
