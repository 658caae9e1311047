using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Mobility.Analyzers;

/// <summary>
/// A process's members belong to its own loop, which runs one message at a time. This analyzer
/// finds them used from elsewhere: background callbacks, async void, the constructor, static
/// members, other instances, other types, after ConfigureAwait(false); and finds handlers that
/// block the loop or await their own process. MOB0030–MOB0035.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessLoopAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] HookNames = { "OnStarted", "OnStopping", "OnLeaving", "OnArrived", "OnDown", "OnExit" };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.ProcessMemberOutsideLoop,
        Descriptors.StateWrittenOutsideLoop,
        Descriptors.AfterConfigureAwaitFalse,
        Descriptors.DirectInstanceUse,
        Descriptors.BlockingCall,
        Descriptors.AwaitSelf);

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
                operationContext => AnalyzeMemberReference(operationContext, symbols),
                OperationKind.Invocation,
                OperationKind.PropertyReference,
                OperationKind.FieldReference,
                OperationKind.EventReference);
            start.RegisterOperationAction(operationContext => AnalyzeAwait(operationContext, symbols), OperationKind.Await);
        });
    }

    private static void AnalyzeMemberReference(OperationAnalysisContext context, MobilitySymbols symbols)
    {
        var operation = context.Operation;
        var (member, instance) = operation switch
        {
            IInvocationOperation invocation => ((ISymbol)invocation.TargetMethod, invocation.Instance),
            IPropertyReferenceOperation property => (property.Property, property.Instance),
            IFieldReferenceOperation field => (field.Field, field.Instance),
            IEventReferenceOperation @event => (@event.Event, @event.Instance),
            _ => (null!, null),
        };

        if (member is null || IsInNameOf(operation))
        {
            return;
        }

        CheckBlocking(context, symbols, member, instance);

        var process = member.ContainingType;
        if (member.IsStatic || !symbols.IsMobileProcess(process))
        {
            return;
        }

        var codeType = context.ContainingSymbol is INamedTypeSymbol named ? named : context.ContainingSymbol.ContainingType;
        if (!IsSameOrNestedIn(codeType, process))
        {
            if (instance is not null && instance is not IInstanceReferenceOperation && member.DeclaredAccessibility != Accessibility.Private)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DirectInstanceUse, NameLocation(operation.Syntax), member.Name, process.Display()));
            }

            return;
        }

        if (!SymbolEqualityComparer.Default.Equals(codeType, process))
        {
            return; // a nested type's code: its own object, its own rules
        }

        var isProcessSide = symbols.IsProcessSideMember(member);
        var isState = symbols.IsStateMember(member);
        if (!isProcessSide && !isState)
        {
            return;
        }

        var onThis = instance is null or IInstanceReferenceOperation;
        if (OutsideTheLoop(operation, context.ContainingSymbol, onThis, instance) is { } where)
        {
            var inConstructor = where.StartsWith("in the constructor", StringComparison.Ordinal);
            if (isProcessSide && (member.Name != "Self" || inConstructor))
            {
                // Self is fine elsewhere: reading it is how a callback sends the process a message.
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.ProcessMemberOutsideLoop, NameLocation(operation.Syntax), member.Name, where));
            }
            else if (isState && !inConstructor && IsWrite(operation))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateWrittenOutsideLoop, NameLocation(operation.Syntax), member.Name, where));
            }

            return;
        }

        if (AfterConfigureAwaitFalse(operation.Syntax))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.AfterConfigureAwaitFalse, NameLocation(operation.Syntax), member.Name));
        }
    }

    /// <summary>
    /// Where <paramref name="operation"/> runs if not in the process's loop ("in a callback passed
    /// to 'Task.Run'", "in the constructor"...), or null if it runs in the loop as far as can be told.
    /// </summary>
    private static string? OutsideTheLoop(IOperation operation, ISymbol containingSymbol, bool onThis, IOperation? instance)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    if (BackgroundApi(lambda) is { } api)
                    {
                        return $"in a callback passed to '{api}'";
                    }

                    if (lambda.Symbol.IsAsync && lambda.Symbol.ReturnsVoid)
                    {
                        return "in an async void lambda";
                    }

                    break;
                case ILocalFunctionOperation localFunction when localFunction.Symbol.IsAsync && localFunction.Symbol.ReturnsVoid:
                    return $"in async void local function '{localFunction.Symbol.Name}'";
            }
        }

        if (containingSymbol is IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.Constructor)
            {
                return "in the constructor, before the process runs";
            }

            if (method.IsAsync && method.ReturnsVoid)
            {
                return $"in async void method '{method.Name}', which the loop does not await";
            }

            if (method.IsStatic)
            {
                return $"in static member '{method.Name}'";
            }
        }
        else if (containingSymbol.IsStatic)
        {
            return $"in static member '{containingSymbol.Name}'";
        }

        if (!onThis)
        {
            return $"on another instance ('{instance!.Syntax}')";
        }

        return null;
    }

    /// <summary>The API a lambda is handed to that runs it on another thread or later, or null.</summary>
    internal static string? BackgroundApi(IAnonymousFunctionOperation lambda)
    {
        IOperation? current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current is IEventAssignmentOperation { EventReference: IEventReferenceOperation { Event: { Name: "Elapsed" } @event } }
            && @event.ContainingType is { Name: "Timer" } timerType && timerType.IsInNamespace("System", "Timers"))
        {
            return "System.Timers.Timer.Elapsed";
        }

        if (current is not IArgumentOperation argument)
        {
            return null;
        }

        switch (argument.Parent)
        {
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var type = method.ContainingType;
                if (type is null)
                {
                    return null;
                }

                if (type.IsInNamespace("System", "Threading", "Tasks"))
                {
                    switch (type.Name)
                    {
                        case "Task" when method.Name is "Run" or "ContinueWith":
                        case "TaskFactory" when method.Name is "StartNew" or "FromAsync" or "ContinueWhenAll" or "ContinueWhenAny":
                            return type.Name + "." + method.Name;
                        case "Parallel":
                            return "Parallel." + method.Name;
                    }
                }

                if (type.IsInNamespace("System", "Threading"))
                {
                    switch (type.Name)
                    {
                        case "ThreadPool":
                            return "ThreadPool." + method.Name;
                        case "CancellationToken" when method.Name is "Register" or "UnsafeRegister":
                            return "CancellationToken." + method.Name;
                    }
                }

                if (type.Name == "TimeProvider" && method.Name == "CreateTimer" && type.IsInNamespace("System"))
                {
                    return "TimeProvider.CreateTimer";
                }

                return null;
            case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol created:
                if (created.IsInNamespace("System", "Threading") && created.Name is "Thread" or "Timer")
                {
                    return "new " + created.Name;
                }

                if (created.IsInNamespace("System", "Threading", "Tasks") && created.Name == "Task")
                {
                    return "new Task";
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="syntax"/> follows an 'await ... .ConfigureAwait(false)' of its own function body.</summary>
    private static bool AfterConfigureAwaitFalse(SyntaxNode syntax)
    {
        var function = syntax.Ancestors().FirstOrDefault(IsFunction);
        if (function is null)
        {
            return false;
        }

        var position = syntax.SpanStart;
        foreach (var node in function.DescendantNodes(child => child == function || !IsFunction(child)))
        {
            if (node.SpanStart >= position)
            {
                break;
            }

            var awaited = node switch
            {
                AwaitExpressionSyntax await => await.Expression,
                CommonForEachStatementSyntax { AwaitKeyword.RawKind: not 0 } forEach => forEach.Expression,
                UsingStatementSyntax { AwaitKeyword.RawKind: not 0 } @using => @using.Expression ?? (SyntaxNode?)@using.Declaration,
                LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: not 0 } declaration => declaration.Declaration,
                _ => null,
            };

            if (awaited is null || !ContainsConfigureAwaitFalse(awaited))
            {
                continue;
            }

            // An await-foreach's body runs after each resumption; other awaits resume at their end.
            var resumesAt = node is CommonForEachStatementSyntax forEachStatement ? forEachStatement.Statement.SpanStart : node.Span.End;
            if (node is LocalDeclarationStatementSyntax)
            {
                resumesAt = node.Span.End;
            }

            if (resumesAt <= position)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsConfigureAwaitFalse(SyntaxNode node) =>
        node.DescendantNodesAndSelf(child => !IsFunction(child)).OfType<InvocationExpressionSyntax>().Any(invocation =>
            invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" }
            && invocation.ArgumentList.Arguments.Count == 1
            && invocation.ArgumentList.Arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression));

    private static bool IsFunction(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax
            or PropertyDeclarationSyntax or IndexerDeclarationSyntax;

    /// <summary>MOB0034: a blocking wait inside a handler or lifecycle hook.</summary>
    private static void CheckBlocking(OperationAnalysisContext context, MobilitySymbols symbols, ISymbol member, IOperation? instance)
    {
        if (context.ContainingSymbol is not IMethodSymbol method
            || !symbols.IsMobileProcess(method.ContainingType)
            || !(symbols.IsHandler(method) || Array.IndexOf(HookNames, method.Name) >= 0))
        {
            return;
        }

        var what = BlockingWhat(symbols, member, instance);
        if (what is null || InBackgroundCallback(context.Operation))
        {
            return;
        }

        if (what == ".Result" && instance is ILocalReferenceOperation or IParameterReferenceOperation && WasAwaited(context.Operation.Syntax, instance.Syntax.ToString()))
        {
            return; // reading the result of a task the handler already awaited
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BlockingCall, NameLocation(context.Operation.Syntax), what));
    }

    private static string? BlockingWhat(MobilitySymbols symbols, ISymbol member, IOperation? instance)
    {
        var type = member.ContainingType;
        if (type is null)
        {
            return null;
        }

        switch (member)
        {
            case IMethodSymbol { Name: "Sleep" } when type.Name == "Thread" && type.IsInNamespace("System", "Threading"):
                return "Thread.Sleep";
            case IMethodSymbol { Name: "Wait" or "WaitAll" or "WaitAny" } method when IsTask(symbols, type):
                return method.IsStatic ? "Task." + method.Name : ".Wait()";
            case IMethodSymbol { Name: "GetResult" } when type.Name.EndsWith("Awaiter", StringComparison.Ordinal)
                && type.IsInNamespace("System", "Runtime", "CompilerServices")
                && UnwrapConversions(instance) is IInvocationOperation { TargetMethod.Name: "GetAwaiter" }:
                return "GetAwaiter().GetResult()";
            case IPropertySymbol { Name: "Result" } when IsTask(symbols, type):
                return ".Result";
            default:
                return null;
        }
    }

    private static bool IsTask(MobilitySymbols symbols, INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, symbols.Task)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.TaskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.ValueTask)
            || SymbolEqualityComparer.Default.Equals(definition, symbols.ValueTaskOfT);
    }

    /// <summary>Whether the function containing <paramref name="syntax"/> awaits something naming <paramref name="name"/> before it.</summary>
    private static bool WasAwaited(SyntaxNode syntax, string name)
    {
        var function = syntax.Ancestors().FirstOrDefault(IsFunction);
        return function is not null && function.DescendantNodes()
            .OfType<AwaitExpressionSyntax>()
            .Any(await => await.Span.End <= syntax.SpanStart
                && await.Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name));
    }

    /// <summary>MOB0035: 'await Self.SomethingAsync(...)' in the process's own code.</summary>
    private static void AnalyzeAwait(OperationAnalysisContext context, MobilitySymbols symbols)
    {
        var await = (IAwaitOperation)context.Operation;
        var awaited = UnwrapConversions(await.Operation);
        if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configured)
        {
            awaited = UnwrapConversions(configured.Instance);
        }

        if (awaited is not IInvocationOperation invocation)
        {
            return;
        }

        var receiver = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        if (UnwrapConversions(receiver) is not IPropertyReferenceOperation { Property: var property, Instance: null or IInstanceReferenceOperation }
            || !symbols.IsProcessSideMember(property)
            || property.Name != "Self"
            || InBackgroundCallback(await))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AwaitSelf, await.Syntax.GetLocation(), invocation.TargetMethod.Name));
    }

    private static bool InBackgroundCallback(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && BackgroundApi(lambda) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? UnwrapConversions(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static bool IsWrite(IOperation reference) => reference.Parent switch
    {
        ISimpleAssignmentOperation assignment => assignment.Target == reference,
        ICompoundAssignmentOperation compound => compound.Target == reference,
        ICoalesceAssignmentOperation coalesce => coalesce.Target == reference,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
        ITupleOperation tuple => tuple.Parent is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target == tuple,
        _ => false,
    };

    private static bool IsInNameOf(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is INameOfOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameOrNestedIn(INamedTypeSymbol? type, INamedTypeSymbol process)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, process))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The member name of a reference or call (<c>SendMe</c> in <c>this.SendMe(x)</c>), else the whole node.</summary>
    private static Location NameLocation(SyntaxNode syntax)
    {
        var node = syntax is InvocationExpressionSyntax invocation ? invocation.Expression : syntax;
        return node switch
        {
            MemberAccessExpressionSyntax access => access.Name.GetLocation(),
            MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
            _ => node.GetLocation(),
        };
    }
}
