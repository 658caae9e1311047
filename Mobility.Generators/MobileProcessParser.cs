using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mobility.Generators.Model;

namespace Mobility.Generators;

/// <summary>
/// Turns a <c>[MobileProcess]</c> class into a <see cref="MobileProcessModel"/>, or into null when the
/// class cannot be generated for (the analyzers tell the user why; the generator stays quiet).
/// Symbols and syntax stay in here: the model holds only strings, bools, enums and arrays of them.
/// </summary>
internal static partial class MobileProcessParser
{
    public const string MobileProcessAttributeName = "Mobility.MobileProcessAttribute";

    // The fully qualified names below are for writing the types into generated code only; the parser
    // recognises types by symbol (KnownTypes), never by these strings.
    private const string MigrationInfoName = "global::Mobility.MigrationInfo";

    private const string DownName = "global::Mobility.Down";

    private const string ExitSignalName = "global::Mobility.ExitSignal";

    private const string NoResultName = "global::Mobility.Generated.NoResult";

    /// <summary>Fully qualified, with nullable annotations: the form types take in generated code.</summary>
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Fully qualified, without nullable annotations: the form types take in handler ids.</summary>
    private static readonly SymbolDisplayFormat IdFormat = SymbolDisplayFormat.FullyQualifiedFormat;

    private static readonly SymbolDisplayFormat NamespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>Members of the message base classes that a message field must not hide.</summary>
    private static readonly HashSet<string> MessageMemberNames = new(StringComparer.Ordinal)
    {
        "CancellationToken", "HandlerId", "HandlerName", "SetResult", "WriteArguments", "Read",
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
        "IsCall", "Fail", "Prepare", "TryStart", "TryWithdraw",
    };

    /// <summary>The parameter of a lifecycle hook: its type, to recognise the user's method, and its name and written type, to declare it.</summary>
    private readonly record struct HookParameter(INamedTypeSymbol? Type, string TypeName, string Name);

    private enum Visibility
    {
        Hidden,
        Internal,
        Public,
    }

    public static MobileProcessModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol type ? Parse(type, new KnownTypes(context.SemanticModel.Compilation), cancellationToken) : null;

    private static MobileProcessModel? Parse(INamedTypeSymbol type, KnownTypes known, CancellationToken cancellationToken)
    {
        if (!IsGeneratableClass(type, known, cancellationToken))
        {
            return null;
        }

        var visibility = EffectiveVisibility(type);
        if (visibility == Visibility.Hidden)
        {
            return null;
        }

        var hierarchy = BuildHierarchy(type);
        if (!HasFreeExtensionClassName(type, hierarchy, known))
        {
            return null;
        }

        var hooks = new List<HookDefinition>();
        if (!TryAddHook(type, "OnStarted", null, hooks, cancellationToken)
            || !TryAddHook(type, "OnStopping", null, hooks, cancellationToken)
            || !TryAddHook(type, "OnLeaving", new HookParameter(known.MigrationInfo, MigrationInfoName, "info"), hooks, cancellationToken)
            || !TryAddHook(type, "OnArrived", new HookParameter(known.MigrationInfo, MigrationInfoName, "info"), hooks, cancellationToken)
            || !TryAddHook(type, "OnDown", new HookParameter(known.Down, DownName, "down"), hooks, cancellationToken)
            || !TryAddHook(type, "OnExit", new HookParameter(known.ExitSignal, ExitSignalName, "signal"), hooks, cancellationToken))
        {
            return null;
        }

        var state = ParseState(type, known, cancellationToken);
        if (state is null)
        {
            return null;
        }

        if (!TryParseStateMachine(type, known, cancellationToken, out var machine, out var stateType))
        {
            return null;
        }

        var isPublic = visibility == Visibility.Public;
        var handlers = ParseHandlers(type, hierarchy, isPublic, stateType, known, cancellationToken);
        if (handlers is null)
        {
            return null;
        }

        var features = (isPublic ? ProcessFeatures.Public : ProcessFeatures.None)
            | IfFree(type, ProcessFeatures.Self, "Self")
            | IfFree(type, ProcessFeatures.SendMe, "SendMe")
            | IfFree(type, ProcessFeatures.Register, "Register")
            | IfFree(type, ProcessFeatures.Stop, "Stop")
            | IfFree(type, ProcessFeatures.Timers, "SendAfter", "CancelTimer")
            | IfFree(type, ProcessFeatures.Monitors, "Monitor", "Demonitor")
            | IfFree(type, ProcessFeatures.Links, "Link", "Unlink")
            | (hooks.Any(hook => hook.Name == "OnExit" && hook.IsGeneratedOnly) ? ProcessFeatures.None : ProcessFeatures.TrapsExits)
            | (ReadStopOnUnhandledException(type, known) ? ProcessFeatures.StopsOnUnhandledException : ProcessFeatures.None);

        return new MobileProcessModel(hierarchy, features, hooks.ToEquatableArray(), state.Value, handlers.Value, machine);
    }

    /// <summary>The <c>StopOnUnhandledException</c> named argument of <c>[MobileProcess]</c> (false when absent).</summary>
    private static bool ReadStopOnUnhandledException(INamedTypeSymbol type, KnownTypes known)
    {
        var attribute = type.GetAttributes().First(attribute => KnownTypes.Is(attribute, known.MobileProcessAttribute));
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "StopOnUnhandledException" && argument.Value.Value is bool value)
            {
                return value;
            }
        }

        return false;
    }

    /// <summary><paramref name="feature"/> when the generated part may declare members of all of <paramref name="names"/>; none otherwise.</summary>
    private static ProcessFeatures IfFree(INamedTypeSymbol type, ProcessFeatures feature, params string[] names) =>
        names.All(name => IsFreeMemberName(type, name)) ? feature : ProcessFeatures.None;

    /// <summary>Whether the generated part may declare a member of that name (no member has it, nor the class itself).</summary>
    private static bool IsFreeMemberName(INamedTypeSymbol type, string name) =>
        type.Name != name && type.GetMembers(name).IsEmpty;

    /// <summary>The shape checks: a partial, concrete, non-generic class deriving from object, in partial non-generic types.</summary>
    private static bool IsGeneratableClass(INamedTypeSymbol type, KnownTypes known, CancellationToken cancellationToken)
    {
        if (type.TypeKind != TypeKind.Class || type.IsRecord || type.IsAbstract || type.IsStatic || type.Arity != 0 || type.IsFileLocal
            || type.BaseType is not { SpecialType: SpecialType.System_Object }
            || !IsPartialEverywhere(type, cancellationToken))
        {
            return false;
        }

        // [MobileProcess] twice (an error the compiler reports) would give two models with one hint name.
        if (type.GetAttributes().Count(attribute => KnownTypes.Is(attribute, known.MobileProcessAttribute)) != 1)
        {
            return false;
        }

        // A hand-written IMobileProcess implementation, or names the generated part uses for itself, would clash.
        if (type.AllInterfaces.Any(i => KnownTypes.Is(i, known.IMobileProcess))
            || type.MemberNames.Any(name => name.StartsWith("__Mobility", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            if (containing.Arity != 0 || containing.IsFileLocal || ContainingDeclaration(containing) is null
                || !IsPartialEverywhere(containing, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ContainingDeclaration(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Class => type.IsRecord ? "partial record" : "partial class",
        TypeKind.Struct => (type.IsReadOnly ? "readonly " : string.Empty)
            + (type.IsRefLikeType ? "ref " : string.Empty)
            + (type.IsRecord ? "partial record struct" : "partial struct"),
        TypeKind.Interface => "partial interface",
        _ => null,
    };

    private static HierarchyInfo BuildHierarchy(INamedTypeSymbol type)
    {
        var containingTypes = new List<INamedTypeSymbol>();
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            containingTypes.Insert(0, containing);
        }

        var namespaceNames = new List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            namespaceNames.Insert(0, ns.Name);
        }

        var metadataNamespace = string.Join(".", namespaceNames);
        var prefix = metadataNamespace.Length == 0 ? string.Empty : metadataNamespace + ".";
        var typeNames = containingTypes.Select(t => t.Name).Concat(new[] { type.Name }).ToArray();
        var containingInfos = new List<ContainingTypeInfo>();
        foreach (var containing in containingTypes)
        {
            containingInfos.Add(new ContainingTypeInfo(EscapeIdentifier(containing.Name), ContainingDeclaration(containing)!));
        }

        return new HierarchyInfo(
            type.ContainingNamespace is { IsGlobalNamespace: false } @namespace ? @namespace.ToDisplayString(NamespaceFormat) : string.Empty,
            containingInfos.ToEquatableArray(),
            EscapeIdentifier(type.Name),
            type.ToDisplayString(IdFormat),
            prefix + string.Join("+", containingTypes.Select(t => t.MetadataName).Concat(new[] { type.MetadataName })),
            string.Join("_", typeNames),
            prefix + string.Join(".", typeNames) + HintNameSuffix(type));
    }

    /// <summary>
    /// The end of the generated file's name. Hint names are compared ignoring case, so when a type
    /// or namespace on the class's path has a twin differing only in case (<c>Demo.Foo</c> and
    /// <c>Demo.foo</c>), the exact metadata name's hash keeps the two files apart.
    /// </summary>
    private static string HintNameSuffix(INamedTypeSymbol type)
    {
        for (INamespaceOrTypeSymbol current = type; current is not INamespaceSymbol { IsGlobalNamespace: true };)
        {
            var parent = (INamespaceOrTypeSymbol?)current.ContainingType ?? current.ContainingNamespace;
            if (parent is null)
            {
                break;
            }

            var siblings = parent is INamespaceSymbol ns ? ns.GetMembers().Cast<INamespaceOrTypeSymbol>() : ((INamedTypeSymbol)parent).GetTypeMembers();
            if (siblings.Any(sibling => sibling.Name != current.Name && string.Equals(sibling.Name, current.Name, StringComparison.OrdinalIgnoreCase)))
            {
                var hash = unchecked((uint)HandlerId(type.ToDisplayString(IdFormat)));
                return "." + hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + ".Mobility.g.cs";
            }

            current = parent;
        }

        return ".Mobility.g.cs";
    }

    /// <summary>
    /// Whether the extension class's name is free: no type of the namespace has it, and for a nested
    /// class no top-level process has the same flat name (<c>Outer.Inner</c> and <c>Outer_Inner</c>).
    /// </summary>
    private static bool HasFreeExtensionClassName(INamedTypeSymbol type, HierarchyInfo hierarchy, KnownTypes known)
    {
        var ns = type.ContainingNamespace;
        if (!ns.GetTypeMembers(hierarchy.FlatName + "ProcessRefExtensions").IsEmpty)
        {
            return false;
        }

        return type.ContainingType is null
            || !ns.GetTypeMembers(hierarchy.FlatName).Any(twin => KnownTypes.HasAttribute(twin, known.MobileProcessAttribute));
    }

    /// <summary>
    /// Decides whether the generated part must define a lifecycle hook: yes, unless the user wrote its
    /// defining declaration or an ordinary method with its signature. False when the user's member
    /// cannot serve as the hook and a definition would clash with it.
    /// </summary>
    private static bool TryAddHook(INamedTypeSymbol type, string name, HookParameter? parameter, List<HookDefinition> hooks, CancellationToken cancellationToken)
    {
        if (type.Name == name)
        {
            return false; // a member cannot be named after its class
        }

        IMethodSymbol? hook = null;
        foreach (var member in type.GetMembers(name))
        {
            if (member is not IMethodSymbol method)
            {
                return false; // a field, property or nested type of that name
            }

            if (method.Arity == 0 && HasHookParameters(method, parameter))
            {
                hook = method;
                break;
            }
        }

        if (hook is null)
        {
            hooks.Add(new HookDefinition(string.Empty, name, parameter is { } p ? p.TypeName + " " + p.Name : string.Empty, IsGeneratedOnly: true));
            return true;
        }

        if (hook.IsStatic)
        {
            return false;
        }

        if (hook.IsPartialDefinition || hook.PartialDefinitionPart is not null)
        {
            return true; // the user declared the hook; the generated part only calls it
        }

        var declaration = hook.DeclaringSyntaxReferences
            .Select(reference => reference.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault();
        if (declaration is null || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return true; // an ordinary method: it is the hook
        }

        // An implementation without a defining declaration: define it, with the implementation's
        // accessibility, parameter name and nullability, so both parts agree.
        if (!hook.ReturnsVoid)
        {
            return false;
        }

        var accessibility = new List<string>();
        foreach (var modifier in declaration.Modifiers)
        {
            switch (modifier.Kind())
            {
                case SyntaxKind.PublicKeyword:
                case SyntaxKind.PrivateKeyword:
                case SyntaxKind.ProtectedKeyword:
                case SyntaxKind.InternalKeyword:
                    accessibility.Add(modifier.Text);
                    break;
                case SyntaxKind.PartialKeyword:
                case SyntaxKind.AsyncKeyword:
                case SyntaxKind.UnsafeKeyword:
                    break;
                default:
                    return false;
            }
        }

        var parameters = parameter is not null
            ? hook.Parameters[0].Type.ToDisplayString(TypeFormat) + " " + EscapeIdentifier(hook.Parameters[0].Name)
            : string.Empty;
        var modifiers = accessibility.Count == 0 ? string.Empty : string.Join(" ", accessibility) + " ";
        hooks.Add(new HookDefinition(modifiers, name, parameters));
        return true;
    }

    private static bool HasHookParameters(IMethodSymbol method, HookParameter? parameter)
    {
        if (parameter is not { } expected)
        {
            return method.Parameters.IsEmpty;
        }

        return method.Parameters.Length == 1
            && method.Parameters[0].RefKind == RefKind.None
            && KnownTypes.Is(method.Parameters[0].Type, expected.Type);
    }

    /// <summary>The migrating state: instance fields and auto-properties not marked <c>[Transient]</c>, in declaration order.</summary>
    private static EquatableArray<StateMember>? ParseState(INamedTypeSymbol type, KnownTypes known, CancellationToken cancellationToken)
    {
        var members = type.GetMembers();
        var backingFields = new Dictionary<IPropertySymbol, IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (var member in members)
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true, AssociatedSymbol: IPropertySymbol property } field)
            {
                backingFields[property] = field;
            }
        }

        var state = new List<StateMember>();
        var accessorNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (member)
            {
                case IFieldSymbol { IsImplicitlyDeclared: false, IsConst: false, IsStatic: false } field:
                    if (KnownTypes.HasAttribute(field, known.TransientAttribute))
                    {
                        break;
                    }

                    if (!IsEncodable(field.Type))
                    {
                        return null;
                    }

                    state.Add(new StateMember(
                        EscapeIdentifier(field.Name),
                        field.Type.ToDisplayString(TypeFormat),
                        field.IsReadOnly ? StateMemberKind.ReadOnlyField : StateMemberKind.Field,
                        BackingFieldName: null,
                        AccessorName: null));
                    break;

                case IPropertySymbol { IsStatic: false, IsIndexer: false } property when backingFields.TryGetValue(property, out var backingField):
                    if (KnownTypes.HasAttribute(property, known.TransientAttribute) || KnownTypes.HasAttribute(backingField, known.TransientAttribute))
                    {
                        break;
                    }

                    if (!IsEncodable(property.Type))
                    {
                        return null;
                    }

                    var kind = !IsPlainAutoProperty(property, cancellationToken) || !property.ExplicitInterfaceImplementations.IsEmpty
                        ? StateMemberKind.BackingField
                        : property.SetMethod is { IsInitOnly: false } ? StateMemberKind.SettableProperty : StateMemberKind.GetOnlyProperty;
                    string? accessorName = null;
                    if (kind != StateMemberKind.SettableProperty)
                    {
                        var baseName = "__Mobility_" + SanitizeIdentifier(property.Name) + "_BackingField";
                        accessorName = baseName;
                        for (var i = 2; !accessorNames.Add(accessorName); i++)
                        {
                            accessorName = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    state.Add(new StateMember(
                        EscapeIdentifier(property.Name),
                        property.Type.ToDisplayString(TypeFormat),
                        kind,
                        backingField.Name,
                        accessorName));
                    break;

                case IEventSymbol { IsStatic: false } @event when IsFieldLike(@event, cancellationToken):
                    return null; // its delegate cannot migrate, and dropping it silently would surprise
            }
        }

        return state.ToEquatableArray();
    }

    /// <summary>An auto-property whose accessors are all bodiless, so <c>this.P</c> reads and writes exactly its backing field.</summary>
    private static bool IsPlainAutoProperty(IPropertySymbol property, CancellationToken cancellationToken)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
                || accessors.Accessors.Any(accessor => accessor.Body is not null || accessor.ExpressionBody is not null))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFieldLike(IEventSymbol @event, CancellationToken cancellationToken) =>
        @event.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax);

    private static EquatableArray<HandlerModel>? ParseHandlers(
        INamedTypeSymbol type, HierarchyInfo hierarchy, bool processIsPublic, INamedTypeSymbol? stateType, KnownTypes known, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, EventStates>(StringComparer.Ordinal);
        var extensionClassName = hierarchy.FlatName + "ProcessRefExtensions";
        var handlers = new List<HandlerModel>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var extensionNames = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<int>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            var isCall = KnownTypes.HasAttribute(method, known.CallAttribute);
            var isCast = KnownTypes.HasAttribute(method, known.CastAttribute);
            if (!isCall && !isCast)
            {
                continue;
            }

            var kind = isCall ? HandlerKind.Call : HandlerKind.Cast;
            var eventName = EventName(method, kind, known);
            var handler = isCall && isCast || eventName is null ? null : ParseHandler(type, hierarchy, method, kind, processIsPublic, eventName, known);
            if (handler is null || !TryReadWhen(method, stateType, known, out var states, out var values))
            {
                return null;
            }

            handler = handler with { States = states };
            if (events.TryGetValue(handler.Name, out var shared))
            {
                // Another handler of an event already seen: a state machine's handler for other states.
                if (stateType is null || !shared.TryAdd(handler, values))
                {
                    return null;
                }

                handlers.Add(handler);
                continue;
            }

            var served = new EventStates(handler);
            if (!served.TryAdd(handler, values)
                || !names.Add(handler.Name)
                || !extensionNames.Add(handler.ExtensionName)
                || handler.ExtensionName == extensionClassName
                || !ids.Add(handler.HandlerId))
            {
                return null;
            }

            events[handler.Name] = served;
            handlers.Add(handler);
        }

        return handlers.ToEquatableArray();
    }

    private static HandlerModel? ParseHandler(
        INamedTypeSymbol type, HierarchyInfo hierarchy, IMethodSymbol method, HandlerKind kind, bool processIsPublic, string eventName, KnownTypes known)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.Arity != 0 || method.IsVararg
            || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return null;
        }

        var visibility = Visibility.Public;
        var takesCancellationToken = false;
        var carried = new List<IParameterSymbol>();
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            if (parameter.RefKind != RefKind.None || parameter.IsParams)
            {
                return null;
            }

            if (KnownTypes.Is(parameter.Type, known.CancellationToken))
            {
                if (kind == HandlerKind.Cast || i != method.Parameters.Length - 1)
                {
                    return null;
                }

                takesCancellationToken = true;
                continue;
            }

            if (!IsWireType(parameter.Type, ref visibility))
            {
                return null;
            }

            carried.Add(parameter);
        }

        var returnKind = ClassifyReturn(method, known, out var resultType);
        if (kind == HandlerKind.Cast && returnKind is not (ReturnKind.Void or ReturnKind.Task or ReturnKind.ValueTask))
        {
            return null;
        }

        if (resultType is not null && !IsWireType(resultType, ref visibility))
        {
            return null;
        }

        var messageName = hierarchy.FlatName + "_" + eventName + "_Message";
        var rawNames = new HashSet<string>(carried.Select(parameter => parameter.Name), StringComparer.Ordinal);
        var fieldNames = new HashSet<string>(StringComparer.Ordinal);
        var parameters = new List<ParameterModel>();
        foreach (var parameter in carried)
        {
            var fieldName = parameter.Name;
            if (MessageMemberNames.Contains(fieldName) || fieldName == messageName)
            {
                fieldName += "Argument";
                while (rawNames.Contains(fieldName) || fieldNames.Contains(fieldName))
                {
                    fieldName += "_";
                }
            }

            fieldNames.Add(fieldName);
            parameters.Add(new ParameterModel(
                EscapeIdentifier(parameter.Name),
                EscapeIdentifier(fieldName),
                parameter.Type.ToDisplayString(TypeFormat)));
        }

        var processParameter = UniqueName("process", rawNames);
        rawNames.Add(processParameter);
        var cancellationTokenParameter = UniqueName("cancellationToken", rawNames);
        var extensionName = kind == HandlerKind.Call && !eventName.EndsWith("Async", StringComparison.Ordinal)
            ? eventName + "Async"
            : eventName;
        var signature = eventName + "(" + string.Join(",", carried.Select(parameter => parameter.Type.ToDisplayString(IdFormat))) + ")";

        return new HandlerModel(
            eventName,
            EscapeIdentifier(method.Name),
            kind,
            returnKind,
            kind == HandlerKind.Cast ? null : resultType?.ToDisplayString(TypeFormat) ?? NoResultName,
            HasResult: kind == HandlerKind.Call && resultType is not null && !KnownTypes.Is(resultType, known.NoResult),
            ReturnMayBeNull: returnKind != ReturnKind.Void && method.ReturnType.NullableAnnotation == NullableAnnotation.Annotated,
            parameters.ToEquatableArray(),
            takesCancellationToken,
            HandlerId(signature),
            EscapeIdentifier(extensionName),
            ExtensionIsPublic: processIsPublic && visibility == Visibility.Public,
            processParameter,
            cancellationTokenParameter,
            type.ToDisplayString(IdFormat) + "." + EscapeIdentifier(method.Name)
                + "(" + string.Join(",", method.Parameters.Select(parameter => CrefType(parameter.Type))) + ")");
    }

    private static ReturnKind ClassifyReturn(IMethodSymbol method, KnownTypes known, out ITypeSymbol? resultType)
    {
        resultType = null;
        if (method.ReturnsVoid)
        {
            return ReturnKind.Void;
        }

        if (method.ReturnType is INamedTypeSymbol named)
        {
            var definition = named.OriginalDefinition;
            if (KnownTypes.Is(definition, known.Task))
            {
                return ReturnKind.Task;
            }

            if (KnownTypes.Is(definition, known.ValueTask))
            {
                return ReturnKind.ValueTask;
            }

            if (KnownTypes.Is(definition, known.TaskOfT))
            {
                resultType = named.TypeArguments[0];
                return ReturnKind.TaskOfResult;
            }

            if (KnownTypes.Is(definition, known.ValueTaskOfT))
            {
                resultType = named.TypeArguments[0];
                return ReturnKind.ValueTaskOfResult;
            }
        }

        resultType = method.ReturnType;
        return ReturnKind.Value;
    }

    /// <summary>FNV-1a (32 bits) of the UTF-8 signature, kept positive and non-zero (negative ids are the runtime's).</summary>
    internal static int HandlerId(string signature)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(signature))
        {
            hash ^= b;
            hash = unchecked(hash * 16777619u);
        }

        var id = (int)(hash & 0x7FFFFFFF);
        return id == 0 ? 1 : id;
    }

    /// <summary>A type that can be a message field or a reply: encodable and reachable from the whole assembly.</summary>
    private static bool IsWireType(ITypeSymbol type, ref Visibility visibility)
    {
        if (!IsEncodable(type))
        {
            return false;
        }

        var typeVisibility = TypeVisibility(type);
        if (typeVisibility == Visibility.Hidden)
        {
            return false;
        }

        if (typeVisibility < visibility)
        {
            visibility = typeVisibility;
        }

        return true;
    }

    /// <summary>False for types no field or generic argument can hold: pointers, ref structs, unresolved types.</summary>
    private static bool IsEncodable(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return IsEncodable(array.ElementType);
            case INamedTypeSymbol named:
                if (named.TypeKind == TypeKind.Error || named.IsRefLikeType)
                {
                    return false;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (!IsEncodable(argument))
                    {
                        return false;
                    }
                }

                return named.ContainingType is null || IsEncodable(named.ContainingType);
            default:
                // Pointers, function pointers, type parameters, error types, and dynamic (a dynamic
                // argument would make the generated writer call dynamically bound, on a ref struct).
                return false;
        }
    }

    private static Visibility TypeVisibility(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return TypeVisibility(array.ElementType);
            case INamedTypeSymbol named:
                var visibility = EffectiveVisibility(named);
                foreach (var argument in named.TypeArguments)
                {
                    var argumentVisibility = TypeVisibility(argument);
                    if (argumentVisibility < visibility)
                    {
                        visibility = argumentVisibility;
                    }
                }

                return visibility;
            default:
                return Visibility.Hidden;
        }
    }

    private static Visibility EffectiveVisibility(INamedTypeSymbol type)
    {
        var visibility = Visibility.Public;
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return Visibility.Hidden;
            }

            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    visibility = Visibility.Internal;
                    break;
                default:
                    return Visibility.Hidden;
            }
        }

        return visibility;
    }

    /// <summary>
    /// A type as a documentation comment <c>cref</c> names it: generic arguments in braces, tuples and
    /// nullable value types by their underlying generic types, no nullable reference annotations.
    /// </summary>
    private static string CrefType(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return CrefType(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            case INamedTypeSymbol { SpecialType: not SpecialType.None } special when special.TypeArguments.IsEmpty:
                return special.ToDisplayString(IdFormat);
            case INamedTypeSymbol named:
                var prefix = named.ContainingType is { } containingType
                    ? CrefType(containingType) + "."
                    : named.ContainingNamespace is { IsGlobalNamespace: false } ns ? "global::" + ns.ToDisplayString(NamespaceFormat) + "." : "global::";
                var arguments = named.TypeArguments.IsEmpty
                    ? string.Empty
                    : "{" + string.Join(",", named.TypeArguments.Select(CrefType)) + "}";
                return prefix + EscapeIdentifier(named.Name) + arguments;
            default:
                return type.ToDisplayString(IdFormat);
        }
    }

    private static string UniqueName(string name, HashSet<string> taken)
    {
        while (taken.Contains(name))
        {
            name = "_" + name;
        }

        return name;
    }

    internal static string EscapeIdentifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string SanitizeIdentifier(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }
}
