using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Mobility.Analyzers;

/// <summary>
/// MOB0060: a process monitors or links its own <c>Self</c>. MOB0061: the <c>ProcessMonitor</c> that
/// <c>MonitorAsync</c> returns is discarded.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MonitoringAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.MonitorsItself, Descriptors.MonitorDiscarded);

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

            var processMonitor = start.Compilation.GetTypeByMetadataName("Mobility.ProcessMonitor");
            start.RegisterOperationAction(
                operationContext =>
                {
                    var invocation = (IInvocationOperation)operationContext.Operation;
                    CheckSelf(operationContext, symbols, invocation);
                    CheckDiscarded(operationContext, processMonitor, invocation);
                },
                OperationKind.Invocation);
        });
    }

    /// <summary>MOB0060: <c>Monitor(Self)</c> or <c>Link(Self)</c> on the process's own instance.</summary>
    private static void CheckSelf(OperationAnalysisContext context, MobilitySymbols symbols, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("Monitor" or "Link") || invocation.Arguments.Length != 1 || !symbols.IsProcessSideMember(method)
            || invocation.Instance is not (null or IInstanceReferenceOperation))
        {
            return;
        }

        var argument = invocation.Arguments[0].Value;
        while (argument is IConversionOperation conversion)
        {
            argument = conversion.Operand;
        }

        if (argument is IPropertyReferenceOperation { Property: var property, Instance: null or IInstanceReferenceOperation }
            && symbols.IsProcessSideMember(property)
            && SymbolEqualityComparer.Default.Equals(property.ContainingType, method.ContainingType))
        {
            var why = method.Name == "Monitor"
                ? "its Down arrives after the process has stopped, so OnDown never sees it"
                : "a process cannot be linked to itself";
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MonitorsItself, invocation.Syntax.GetLocation(), method.Name, why));
        }
    }

    /// <summary>MOB0061: <c>await node.MonitorAsync(...)</c> as a statement, or assigned to a discard.</summary>
    private static void CheckDiscarded(OperationAnalysisContext context, INamedTypeSymbol? processMonitor, IInvocationOperation invocation)
    {
        if (processMonitor is null || invocation.TargetMethod.Name != "MonitorAsync"
            || invocation.TargetMethod.ReturnType is not INamedTypeSymbol { TypeArguments.Length: 1 } returned
            || !SymbolEqualityComparer.Default.Equals(returned.TypeArguments[0], processMonitor))
        {
            return;
        }

        var value = invocation.Parent is IAwaitOperation awaited ? awaited : (IOperation)invocation;
        var discarded = value.Parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } assignment => assignment.Parent is IExpressionStatementOperation,
            _ => false,
        };
        if (discarded)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MonitorDiscarded, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
        }
    }
}
