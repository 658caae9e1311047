using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mobility.Analyzers;

internal static class SymbolExtensions
{
    /// <summary>Where the user declared <paramref name="symbol"/> (its name), skipping generated code; null if only generated.</summary>
    public static Location? UserLocation(this ISymbol symbol) =>
        symbol.Locations.FirstOrDefault(location => location.IsInSource && !MobilitySymbols.IsGenerated(location.SourceTree));

    /// <summary>Whether the user wrote (part of) <paramref name="symbol"/>: one of its declarations is outside generated code.</summary>
    public static bool IsUserDeclared(this ISymbol symbol) => symbol.UserLocation() is not null;

    /// <summary>The type's declarations written by the user (not generated).</summary>
    public static TypeDeclarationSyntax[] UserDeclarations(this INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Where(reference => !MobilitySymbols.IsGenerated(reference.SyntaxTree))
            .Select(reference => reference.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .ToArray();

    /// <summary>The short display form used in messages (<c>Counter</c>, <c>Outer.Inner</c>, <c>List&lt;int&gt;</c>).</summary>
    public static string Display(this ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    public static bool IsInNamespace(this ISymbol symbol, params string[] names)
    {
        var ns = symbol.ContainingNamespace;
        for (var i = names.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != names[i])
            {
                return false;
            }

            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }
}
