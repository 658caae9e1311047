using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Mobility.Analyzers;

/// <summary>
/// State machines: <c>[StateMachine]</c>, <c>[When]</c>, <c>[StateEnter]</c> and the <c>Event</c> names that let
/// several handlers serve one event in different states. MOB0050–MOB0059. Every class these report an error for
/// is one the generator skips.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateMachineAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StateMachineNotProcess,
        Descriptors.StateTypeNotEnum,
        Descriptors.MisplacedStateAttribute,
        Descriptors.NotAState,
        Descriptors.OverlappingHandlers,
        Descriptors.DisagreeingHandlers,
        Descriptors.InvalidStateEnter,
        Descriptors.TransitionInStateEnter,
        Descriptors.PostponeInSignalHook,
        Descriptors.InvalidEventName,
        Descriptors.InitialStateUnnamed);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (MobilitySymbols.Create(start.Compilation) is not { } symbols
                || start.Compilation.GetTypeByMetadataName("Mobility.StateMachineAttribute") is not { } stateMachine)
            {
                return;
            }

            var attributes = new Attributes(
                stateMachine,
                start.Compilation.GetTypeByMetadataName("Mobility.WhenAttribute"),
                start.Compilation.GetTypeByMetadataName("Mobility.StateEnterAttribute"));
            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, symbols, attributes), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, MobilitySymbols symbols, Attributes attributes)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var machine = type.GetAttributes().FirstOrDefault(data => SymbolEqualityComparer.Default.Equals(data.AttributeClass, attributes.StateMachine));
        var isProcess = symbols.IsMobileProcess(type);
        if (machine is not null && !isProcess)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateMachineNotProcess, Where(machine, type), type.Display()));
        }

        INamedTypeSymbol? stateType = null;
        if (machine is not null && machine.ConstructorArguments.Length == 1)
        {
            if (machine.ConstructorArguments[0].Value is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
            {
                stateType = enumType;
                CheckInitial(context, type, machine, enumType);
            }
            else if (machine.ConstructorArguments[0].Value is ITypeSymbol other)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateTypeNotEnum, Where(machine, type), type.Display(), other.Display()));
            }
        }

        var events = new Dictionary<string, List<(IMethodSymbol Method, object[]? States)>>(StringComparer.Ordinal);
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (stateType is not null)
            {
                CheckSignalHook(context, method); // before the location: its definition may be generated, its body is the user's
            }

            if (method.UserLocation() is not { } location)
            {
                continue;
            }

            var isHandler = symbols.IsHandler(method);
            var when = Find(method, attributes.When);
            var enter = Find(method, attributes.StateEnter);
            if (when is not null && (machine is null || !isHandler))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.MisplacedStateAttribute, location, method.Name,
                    machine is null ? "[When]: its class is not a [StateMachine]" : "[When]: it is not a [Call] or [Cast] handler"));
            }

            if (enter is not null && machine is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.MisplacedStateAttribute, location, method.Name, "[StateEnter]: its class is not a [StateMachine]"));
            }

            if (stateType is null)
            {
                continue;
            }

            if (enter is not null)
            {
                CheckStateEnter(context, method, location, enter, stateType, isHandler);
            }

            if (isHandler && isProcess)
            {
                var eventName = EventName(context, symbols, method, location);
                var states = when is null ? null : ReadStates(context, when, stateType, location, requireOne: true);
                if (eventName is not null && (when is null || states is not null))
                {
                    if (!events.TryGetValue(eventName, out var handlers))
                    {
                        events[eventName] = handlers = [];
                    }

                    handlers.Add((method, states));
                }
            }
        }

        foreach (var pair in events)
        {
            CheckEvent(context, symbols, pair.Key, pair.Value, stateType!);
        }
    }

    private static void CheckInitial(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData machine, INamedTypeSymbol stateType)
    {
        foreach (var argument in machine.NamedArguments)
        {
            if (argument.Key == "Initial")
            {
                if (StateName(argument.Value, stateType) is null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAState, Where(machine, type), "Initial = " + argument.Value.ToCSharpString(), stateType.Display()));
                }

                return;
            }
        }

        if (!stateType.GetMembers().OfType<IFieldSymbol>().Any(field => field.HasConstantValue && Convert.ToInt64(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) == 0))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InitialStateUnnamed, Where(machine, type), type.Display(), stateType.Display()));
        }
    }

    private static void CheckStateEnter(SymbolAnalysisContext context, IMethodSymbol method, Location location, AttributeData enter, INamedTypeSymbol stateType, bool isHandler)
    {
        var shapeIsRight = method.MethodKind == MethodKind.Ordinary && !method.IsStatic && method.Arity == 0 && method.ReturnsVoid && !method.IsAsync
            && (method.Parameters.Length == 0
                || (method.Parameters.Length == 1 && method.Parameters[0].RefKind == RefKind.None && !method.Parameters[0].IsParams
                    && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, stateType)));
        if (!shapeIsRight || isHandler)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidStateEnter, location, method.Name, stateType.Display()));
        }

        ReadStates(context, enter, stateType, location, requireOne: false);
        foreach (var (invocation, name) in OwnCalls(context, method))
        {
            if (name is "NextState" or "Postpone")
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TransitionInStateEnter, invocation.GetLocation(), name, method.Name));
            }
        }
    }

    /// <summary>A state machine's <c>OnDown</c> and <c>OnExit</c> handle events that cannot be postponed.</summary>
    private static void CheckSignalHook(SymbolAnalysisContext context, IMethodSymbol method)
    {
        if (method is not { Name: "OnDown" or "OnExit", Parameters.Length: 1 })
        {
            return;
        }

        foreach (var (invocation, name) in OwnCalls(context, method.PartialImplementationPart ?? method))
        {
            if (name == "Postpone")
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.PostponeInSignalHook, invocation.GetLocation(), method.Name));
            }
        }
    }

    /// <summary>The calls <paramref name="method"/>'s body makes to members of its own instance, by simple name.</summary>
    private static IEnumerable<(InvocationExpressionSyntax Invocation, string Name)> OwnCalls(SymbolAnalysisContext context, IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            foreach (var invocation in reference.GetSyntax(context.CancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = invocation.Expression switch
                {
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText,
                    _ => null,
                };
                if (name is not null)
                {
                    yield return (invocation, name);
                }
            }
        }
    }

    /// <summary>The handlers of one event: they agree on the message, and no state is served twice.</summary>
    private static void CheckEvent(
        SymbolAnalysisContext context, MobilitySymbols symbols, string eventName, List<(IMethodSymbol Method, object[]? States)> handlers, INamedTypeSymbol stateType)
    {
        var first = handlers[0].Method;
        var served = new Dictionary<object, IMethodSymbol>();
        IMethodSymbol? fallback = null;
        foreach (var (method, states) in handlers)
        {
            var location = method.UserLocation()!;
            if (!ReferenceEquals(method, first) && Difference(symbols, first, method) is { } difference)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DisagreeingHandlers, location, method.Name, eventName, first.Name, difference));
            }

            if (states is null)
            {
                if (fallback is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.OverlappingHandlers, location, method.Name, eventName, "every other state (no [When])", fallback.Name));
                }

                fallback ??= method;
                continue;
            }

            foreach (var state in states)
            {
                if (served.TryGetValue(state, out var other))
                {
                    var name = stateType.GetMembers().OfType<IFieldSymbol>().First(field => field.HasConstantValue && Equals(field.ConstantValue, state)).Name;
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.OverlappingHandlers, location, method.Name, eventName, stateType.Name + "." + name, other.Name));
                }
                else
                {
                    served[state] = method;
                }
            }
        }
    }

    private static string? Difference(MobilitySymbols symbols, IMethodSymbol first, IMethodSymbol other)
    {
        if (symbols.IsCall(first) != symbols.IsCall(other))
        {
            return "one is a [Call], the other a [Cast]";
        }

        var firstTypes = Carried(symbols, first);
        var otherTypes = Carried(symbols, other);
        if (!firstTypes.SequenceEqual(otherTypes, SymbolEqualityComparer.IncludeNullability))
        {
            return "their parameter types differ";
        }

        return SymbolEqualityComparer.IncludeNullability.Equals(Result(symbols, first), Result(symbols, other)) ? null : "their results differ";
    }

    private static ITypeSymbol[] Carried(MobilitySymbols symbols, IMethodSymbol method) =>
        method.Parameters.Where(parameter => !symbols.IsCancellationToken(parameter.Type)).Select(parameter => parameter.Type).ToArray();

    /// <summary>What a call replies with: the awaited type of a task, nothing for void or a plain task.</summary>
    private static ITypeSymbol? Result(MobilitySymbols symbols, IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return null;
        }

        var type = method.ReturnType;
        if (SymbolEqualityComparer.Default.Equals(type, symbols.Task) || SymbolEqualityComparer.Default.Equals(type, symbols.ValueTask))
        {
            return null;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named
            && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.TaskOfT) || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.ValueTaskOfT)))
        {
            return named.TypeArguments[0];
        }

        return type;
    }

    /// <summary>The handler's event name (its attribute's Event, or its own name); null, reported, when not an identifier.</summary>
    private static string? EventName(SymbolAnalysisContext context, MobilitySymbols symbols, IMethodSymbol method, Location location)
    {
        foreach (var data in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(data.AttributeClass, symbols.CallAttribute)
                && !SymbolEqualityComparer.Default.Equals(data.AttributeClass, symbols.CastAttribute))
            {
                continue;
            }

            foreach (var argument in data.NamedArguments)
            {
                if (argument.Key == "Event" && argument.Value.Value is string name)
                {
                    if (!IsValidEventName(name))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidEventName, location, name, method.Name));
                        return null;
                    }

                    return name;
                }
            }
        }

        return method.Name;
    }

    internal static bool IsValidEventName(string name) =>
        SyntaxFacts.IsValidIdentifier(name) && !name.StartsWith("__Mobility", StringComparison.OrdinalIgnoreCase);

    /// <summary>The values of a <c>[When]</c> or <c>[StateEnter]</c>; null, reported, when one is not a state.</summary>
    private static object[]? ReadStates(SymbolAnalysisContext context, AttributeData attribute, INamedTypeSymbol stateType, Location location, bool requireOne)
    {
        var where = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? location;
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array)
        {
            return null; // the compiler reports it
        }

        var values = attribute.ConstructorArguments[0].Values;
        if (values.IsEmpty && requireOne)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAState, where, "An empty [When]", stateType.Display()));
            return null;
        }

        var states = new List<object>();
        foreach (var value in values)
        {
            if (StateName(value, stateType) is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAState, where, value.ToCSharpString(), stateType.Display()));
                return null;
            }

            states.Add(value.Value!);
        }

        return states.ToArray();
    }

    private static string? StateName(TypedConstant constant, INamedTypeSymbol stateType) =>
        constant.Kind == TypedConstantKind.Enum && constant.Value is not null && SymbolEqualityComparer.Default.Equals(constant.Type, stateType)
            ? stateType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(field => field.HasConstantValue && Equals(field.ConstantValue, constant.Value))?.Name
            : null;

    private static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attribute) =>
        attribute is null ? null : symbol.GetAttributes().FirstOrDefault(data => SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute));

    private static Location Where(AttributeData attribute, ISymbol owner) =>
        attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? owner.UserLocation() ?? Location.None;

    private sealed class Attributes(INamedTypeSymbol stateMachine, INamedTypeSymbol? when, INamedTypeSymbol? stateEnter)
    {
        public INamedTypeSymbol StateMachine { get; } = stateMachine;

        public INamedTypeSymbol? When { get; } = when;

        public INamedTypeSymbol? StateEnter { get; } = stateEnter;
    }
}
