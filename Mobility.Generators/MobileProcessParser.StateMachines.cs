using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mobility.Generators.Model;

namespace Mobility.Generators;

/// <summary>The state machine half of the parser: <c>[StateMachine]</c>, <c>[When]</c>, <c>[StateEnter]</c> and event names.</summary>
internal static partial class MobileProcessParser
{
    /// <summary>The members the generated part of a state machine declares.</summary>
    internal static readonly string[] StateMachineMemberNames =
    {
        "State", "NextState", "Postpone", "SetEventTimeout", "SetStateTimeout", "SetTimeout",
        "CancelEventTimeout", "CancelStateTimeout", "CancelTimeout",
    };

    /// <summary>
    /// Reads <c>[StateMachine]</c> and the <c>[StateEnter]</c> methods. True with a null model for a process
    /// that is not a state machine (and uses neither <c>[When]</c> nor <c>[StateEnter]</c>); false when invalid.
    /// </summary>
    private static bool TryParseStateMachine(
        INamedTypeSymbol type, KnownTypes known, CancellationToken cancellationToken, out StateMachineModel? model, out INamedTypeSymbol? stateType)
    {
        model = null;
        stateType = null;
        var methods = type.GetMembers().OfType<IMethodSymbol>().ToArray();
        var attributes = type.GetAttributes().Where(attribute => KnownTypes.Is(attribute, known.StateMachineAttribute)).ToArray();
        if (attributes.Length == 0)
        {
            return !methods.Any(method =>
                KnownTypes.HasAttribute(method, known.WhenAttribute) || KnownTypes.HasAttribute(method, known.StateEnterAttribute));
        }

        if (attributes.Length != 1 || attributes[0].ConstructorArguments.Length != 1
            || attributes[0].ConstructorArguments[0].Value is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
            || StateMachineMemberNames.Any(name => !IsFreeMemberName(type, name)))
        {
            return false;
        }

        var stateTypeName = enumType.ToDisplayString(IdFormat);
        var initial = "default(" + stateTypeName + ")";
        foreach (var argument in attributes[0].NamedArguments)
        {
            if (argument.Key == "Initial")
            {
                if (!TryReadState(argument.Value, enumType, out var label, out _))
                {
                    return false;
                }

                initial = label;
            }
        }

        var enters = new List<StateEnterModel>();
        foreach (var method in methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attributesOfMethod = method.GetAttributes();
            var enter = attributesOfMethod.FirstOrDefault(attribute => KnownTypes.Is(attribute, known.StateEnterAttribute));
            var isHandler = attributesOfMethod.Any(attribute => KnownTypes.Is(attribute, known.CallAttribute) || KnownTypes.Is(attribute, known.CastAttribute));
            if (!isHandler && attributesOfMethod.Any(attribute => KnownTypes.Is(attribute, known.WhenAttribute)))
            {
                return false; // [When] on a method that is not a handler
            }

            if (enter is null)
            {
                continue;
            }

            if (isHandler || !IsStateEnterSignature(method, enumType) || !TryReadStates(enter, enumType, out var states, out _))
            {
                return false;
            }

            enters.Add(new StateEnterModel(EscapeIdentifier(method.Name), method.Parameters.Length == 1, states));
        }

        stateType = enumType;
        model = new StateMachineModel(stateTypeName, initial, type.Name, enters.ToEquatableArray());
        return true;
    }

    /// <summary>An ordinary, non-generic instance method returning void, taking nothing or the previous state.</summary>
    internal static bool IsStateEnterSignature(IMethodSymbol method, INamedTypeSymbol stateType) =>
        method.MethodKind == MethodKind.Ordinary && !method.IsStatic && method.Arity == 0 && method.ReturnsVoid && !method.IsAsync
        && (method.Parameters.Length == 0
            || (method.Parameters.Length == 1 && method.Parameters[0].RefKind == RefKind.None && !method.Parameters[0].IsParams
                && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, stateType)));

    /// <summary>The name of a handler's event: its attribute's <c>Event</c>, or the method's name; null if not an identifier.</summary>
    private static string? EventName(IMethodSymbol method, HandlerKind kind, KnownTypes known)
    {
        var attributeType = kind == HandlerKind.Call ? known.CallAttribute : known.CastAttribute;
        foreach (var attribute in method.GetAttributes())
        {
            if (!KnownTypes.Is(attribute, attributeType))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Event" && argument.Value.Value is string name)
                {
                    return SyntaxFacts.IsValidIdentifier(name) && !name.StartsWith("__Mobility", StringComparison.OrdinalIgnoreCase) ? name : null;
                }
            }
        }

        return method.Name;
    }

    /// <summary>
    /// Reads a handler's <c>[When]</c>: true with empty states (and null values) for a handler without it; false
    /// when it is invalid (no state machine, no states, or a value that is not a state).
    /// </summary>
    private static bool TryReadWhen(IMethodSymbol method, INamedTypeSymbol? stateType, KnownTypes known, out EquatableArray<string> states, out object[]? values)
    {
        states = EquatableArray<string>.Empty;
        values = null;
        var when = method.GetAttributes().FirstOrDefault(attribute => KnownTypes.Is(attribute, known.WhenAttribute));
        if (when is null)
        {
            return true;
        }

        if (stateType is null || !TryReadStates(when, stateType, out states, out var read) || read.Length == 0)
        {
            return false;
        }

        values = read;
        return true;
    }

    /// <summary>Reads the <c>params object[]</c> states of <c>[When]</c> or <c>[StateEnter]</c>.</summary>
    private static bool TryReadStates(AttributeData attribute, INamedTypeSymbol stateType, out EquatableArray<string> states, out object[] values)
    {
        states = EquatableArray<string>.Empty;
        values = Array.Empty<object>();
        if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array)
        {
            return false;
        }

        var labels = new List<string>();
        var read = new List<object>();
        foreach (var constant in attribute.ConstructorArguments[0].Values)
        {
            if (!TryReadState(constant, stateType, out var label, out var value))
            {
                return false;
            }

            labels.Add(label);
            read.Add(value);
        }

        states = labels.ToEquatableArray();
        values = read.ToArray();
        return true;
    }

    /// <summary>A constant that is a named value of the state enum, as the enum member's fully qualified name.</summary>
    private static bool TryReadState(TypedConstant constant, INamedTypeSymbol stateType, out string label, out object value)
    {
        label = string.Empty;
        value = 0;
        if (constant.Kind != TypedConstantKind.Enum || constant.Value is null || !SymbolEqualityComparer.Default.Equals(constant.Type, stateType))
        {
            return false;
        }

        var field = stateType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(member => member.HasConstantValue && Equals(member.ConstantValue, constant.Value));
        if (field is null)
        {
            return false;
        }

        label = stateType.ToDisplayString(IdFormat) + "." + EscapeIdentifier(field.Name);
        value = constant.Value;
        return true;
    }

    /// <summary>The handlers of one event: they must agree on the message, and serve disjoint states (one may serve the rest).</summary>
    private sealed class EventStates(HandlerModel first)
    {
        private readonly HashSet<object> _values = new();
        private bool _hasFallback;

        public bool TryAdd(HandlerModel handler, object[]? values)
        {
            // The handlers share one generated message class, so they must agree on its text: the types as
            // written, nullable annotations included (which SymbolEqualityComparer.Default would not see).
            if (handler.Kind != first.Kind || handler.ResultType != first.ResultType
                || !handler.Parameters.Select(parameter => parameter.Type).SequenceEqual(first.Parameters.Select(parameter => parameter.Type)))
            {
                return false;
            }

            if (values is null)
            {
                var wasFallback = _hasFallback;
                _hasFallback = true;
                return !wasFallback;
            }

            return values.All(_values.Add);
        }
    }
}
