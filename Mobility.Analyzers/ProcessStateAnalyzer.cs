using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Mobility.Analyzers;

/// <summary>
/// The state of a <c>[MobileProcess]</c>: every instance field and auto-property not marked
/// <c>[Transient]</c> must be encodable by MemoryPack and must not be a machine-bound resource.
/// MOB0011–MOB0015.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessStateAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StateNotEncodable,
        Descriptors.StateMaybeNotEncodable,
        Descriptors.StateResource,
        Descriptors.StateDisposable,
        Descriptors.EventInState);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MobilitySymbols.Create(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, MobilitySymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!symbols.IsMobileProcess(type))
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (member is IEventSymbol { IsStatic: false } @event)
            {
                if (@event.UserLocation() is { } eventLocation
                    && @event.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax(context.CancellationToken) is VariableDeclaratorSyntax))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.EventInState, eventLocation, @event.Name, type.Display()));
                }

                continue;
            }

            if (!symbols.IsStateMember(member) || member.UserLocation() is not { } location)
            {
                continue;
            }

            var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
            var verdict = symbols.Encodability.Classify(memberType);
            var culprit = verdict.Culprit?.Display() ?? memberType.Display();
            switch (verdict.Kind)
            {
                case EncodabilityKind.Resource:
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateResource, location, member.Name, culprit));
                    break;
                case EncodabilityKind.NotEncodable:
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateNotEncodable, location, member.Name, memberType.Display(), Detail(verdict, memberType)));
                    break;
                case EncodabilityKind.Unknown:
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateMaybeNotEncodable, location, member.Name, memberType.Display(), culprit));
                    break;
                case EncodabilityKind.Disposable:
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateDisposable, location, member.Name, culprit));
                    break;
            }
        }
    }

    /// <summary>The end of the MOB0011 message: why, or which part of the type cannot be encoded.</summary>
    internal static string Detail(EncodabilityVerdict verdict, ITypeSymbol type)
    {
        if (verdict.Reason is { } reason)
        {
            return SymbolEqualityComparer.Default.Equals(verdict.Culprit, type) ? " (it " + reason + ")" : $" ('{verdict.Culprit!.Display()}' {reason})";
        }

        return verdict.Culprit is { } culprit && !SymbolEqualityComparer.Default.Equals(culprit, type)
            ? $" (it holds '{culprit.Display()}')"
            : string.Empty;
    }
}
