using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Mobility.Analyzers;

/// <summary>
/// MOB0040: a <c>[MobileProcess]</c> created with <c>new</c>. Whether the code is a test that means it
/// cannot be decided, so every <c>new</c> is reported, as a warning.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NewProcessAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.NewProcess);

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

            start.RegisterOperationAction(
                operationContext =>
                {
                    var creation = (IObjectCreationOperation)operationContext.Operation;
                    if (symbols.IsMobileProcess(creation.Type))
                    {
                        operationContext.ReportDiagnostic(Diagnostic.Create(Descriptors.NewProcess, creation.Syntax.GetLocation(), creation.Type!.Display()));
                    }
                },
                OperationKind.ObjectCreation);
        });
    }
}
