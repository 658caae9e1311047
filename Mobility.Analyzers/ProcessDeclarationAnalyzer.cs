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
/// The shape of a <c>[MobileProcess]</c> class: every rule for which the generator quietly emits
/// nothing (partial, non-generic, concrete, accessible, no reserved names, usable hooks), plus the
/// constructor that dependency injection must be able to call. MOB0001–MOB0010.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ProcessDeclarationAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] HookNames = { "OnStarted", "OnStopping", "OnLeaving", "OnArrived", "OnDown", "OnExit" };

    private static readonly HashSet<SyntaxKind> AllowedHookModifiers = new()
    {
        SyntaxKind.PublicKeyword, SyntaxKind.PrivateKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.InternalKeyword,
        SyntaxKind.PartialKeyword, SyntaxKind.AsyncKeyword, SyntaxKind.UnsafeKeyword,
    };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.NotPartial,
        Descriptors.GenericProcess,
        Descriptors.NotConcreteClass,
        Descriptors.HasBaseClass,
        Descriptors.Inaccessible,
        Descriptors.ReservedName,
        Descriptors.InvalidHook,
        Descriptors.NoInjectableConstructor,
        Descriptors.UninjectableParameter,
        Descriptors.HandlerOutsideProcess);

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

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, symbols), SymbolKind.NamedType);
            start.RegisterSymbolAction(symbolContext => AnalyzeMethod(symbolContext, symbols), SymbolKind.Method);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, MobilitySymbols symbols)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (symbols.IsMobileProcess(method.ContainingType) || method.UserLocation() is not { } location)
        {
            return;
        }

        var attribute = symbols.IsCall(method) ? "Call" : symbols.IsCast(method) ? "Cast" : null;
        if (attribute is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerOutsideProcess, location, method.Name, attribute, method.ContainingType.Display()));
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, MobilitySymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!symbols.IsMobileProcess(type))
        {
            // A type containing a process must be partial too; reported here, on its own declarations.
            if (NestedProcess(type, symbols) is { } nested)
            {
                CheckPartial(context, type, nested.Display());
            }

            return;
        }

        if (type.UserLocation() is not { } location)
        {
            return;
        }

        var name = type.Display();
        CheckPartial(context, type, name);

        var genericContainer = type.Arity != 0 ? type : ContainingTypes(type).FirstOrDefault(containing => containing.Arity != 0);
        if (genericContainer is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GenericProcess, location, name, genericContainer.Display()));
        }

        var kind = type.IsStatic ? "static" : type.IsAbstract ? "abstract" : type.IsRecord ? "a record" : null;
        if (kind is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotConcreteClass, location, name, kind));
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && !type.IsStatic && !type.IsRecord)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HasBaseClass, location, name, baseType.Display()));
        }

        if (Hidden(type) is { } hidden)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.Inaccessible, location, name, hidden));
        }

        foreach (var reason in ReservedNameProblems(type, symbols))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.ReservedName, location, name, reason));
        }

        CheckHooks(context, type, name);
        if (!type.IsStatic && !type.IsAbstract)
        {
            CheckConstructors(context, type, name, location);
        }
    }

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            yield return containing;
        }
    }

    /// <summary>MOB0001 on every declaration of <paramref name="type"/> (a process or a type containing one) that lacks 'partial'.</summary>
    private static void CheckPartial(SymbolAnalysisContext context, INamedTypeSymbol type, string processName)
    {
        foreach (var declaration in type.UserDeclarations())
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotPartial, declaration.Identifier.GetLocation(), type.Display(), processName));
            }
        }
    }

    /// <summary>A [MobileProcess] nested in <paramref name="type"/>, at any depth, or null.</summary>
    private static INamedTypeSymbol? NestedProcess(INamedTypeSymbol type, MobilitySymbols symbols)
    {
        foreach (var nested in type.GetTypeMembers())
        {
            if (symbols.IsMobileProcess(nested))
            {
                return nested;
            }

            if (NestedProcess(nested, symbols) is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }

    private static string? Hidden(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var what = ReferenceEquals(current, type) ? "declared" : "nested in '" + current.Display() + "', which is";
            if (current.IsFileLocal)
            {
                return what + " file-local";
            }

            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Private:
                    return what + " private";
                case Accessibility.Protected:
                    return what + " protected";
                case Accessibility.ProtectedAndInternal:
                    return what + " private protected";
            }
        }

        return null;
    }

    /// <summary>The members the generated part of a [StateMachine] process declares.</summary>
    private static readonly string[] StateMachineMemberNames =
    [
        "State", "NextState", "Postpone", "SetEventTimeout", "SetStateTimeout", "SetTimeout",
        "CancelEventTimeout", "CancelStateTimeout", "CancelTimeout",
    ];

    private static IEnumerable<string> ReservedNameProblems(INamedTypeSymbol type, MobilitySymbols symbols)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.Name.StartsWith("__Mobility", StringComparison.OrdinalIgnoreCase) && member.IsUserDeclared())
            {
                yield return $"member '{member.Name}' uses the prefix '__Mobility', reserved for generated code";
            }
        }

        foreach (var declaration in type.UserDeclarations())
        {
            if (declaration.BaseList is { } baseList
                && baseList.Types.Any(baseType => RightmostName(baseType.Type) is "IMobileProcess"))
            {
                yield return "it implements IMobileProcess by hand; the generated part implements it";
                break;
            }
        }

        if (type.GetAttributes().Any(data => data.AttributeClass?.ToDisplayString() == "Mobility.StateMachineAttribute"))
        {
            foreach (var name in StateMachineMemberNames)
            {
                if (type.Name == name || type.GetMembers(name).Any(member => member.IsUserDeclared()))
                {
                    yield return $"the state machine member '{name}' is taken; the generated part declares it";
                }
            }
        }

        if (Array.IndexOf(HookNames, type.Name) >= 0)
        {
            yield return $"the class is named like the lifecycle hook '{type.Name}'";
        }

        var flatName = string.Join("_", ContainingTypes(type).Reverse().Select(t => t.Name).Concat(new[] { type.Name }));
        var extensionClass = flatName + "ProcessRefExtensions";
        var ns = type.ContainingNamespace;
        if (ns.GetTypeMembers(extensionClass).Any(taken => taken.IsUserDeclared()))
        {
            yield return $"the namespace already has a type '{extensionClass}', the name of its generated extension class";
        }

        if (type.ContainingType is not null
            && ns.GetTypeMembers(flatName).Any(twin => symbols.IsMobileProcess(twin)))
        {
            yield return $"the process '{flatName}' of the namespace has the same flattened name, so their generated names would clash";
        }
    }

    private static string? RightmostName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>MOB0007: a hook name taken by something that cannot be the hook (the generator's TryAddHook rules).</summary>
    private static void CheckHooks(SymbolAnalysisContext context, INamedTypeSymbol type, string processName)
    {
        foreach (var hookName in HookNames)
        {
            var parameterType = HookParameterType(hookName);
            foreach (var member in type.GetMembers(hookName))
            {
                if (member.UserLocation() is not { } location)
                {
                    continue;
                }

                if (member is not IMethodSymbol method)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidHook, location, hookName, processName,
                        $"a {Kind(member)} cannot be a hook; rename it"));
                    continue;
                }

                if (method.Arity != 0 || !HasHookParameters(method, parameterType))
                {
                    continue; // an overload with another signature: the generator defines the hook beside it
                }

                if (method.IsStatic)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidHook, location, hookName, processName, "a hook must be an instance method"));
                    continue;
                }

                if (ImplementationWithoutUserDefinition(method) is not { } implementation)
                {
                    continue;
                }

                if (!method.ReturnsVoid)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidHook, location, hookName, processName,
                        "a partial hook must return void"));
                    continue;
                }

                var extra = implementation.Modifiers.FirstOrDefault(modifier => !AllowedHookModifiers.Contains(modifier.Kind()));
                if (extra != default)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidHook, location, hookName, processName,
                        $"a partial hook cannot be '{extra.ValueText}'"));
                }
            }
        }
    }

    private static string Kind(ISymbol member) => member switch
    {
        IFieldSymbol => "field",
        IPropertySymbol => "property",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };

    /// <summary>The type (in namespace Mobility) of a hook's one parameter, or null for a hook without parameters.</summary>
    private static string? HookParameterType(string hookName) => hookName switch
    {
        "OnLeaving" or "OnArrived" => "MigrationInfo",
        "OnDown" => "Down",
        "OnExit" => "ExitSignal",
        _ => null,
    };

    private static bool HasHookParameters(IMethodSymbol method, string? parameterType) =>
        parameterType is not null
            ? method.Parameters.Length == 1 && method.Parameters[0].RefKind == RefKind.None
                && method.Parameters[0].Type is { } type && type.Name == parameterType && type.IsInNamespace("Mobility")
            : method.Parameters.IsEmpty;

    /// <summary>A partial implementation the user wrote without a defining declaration of their own; null otherwise.</summary>
    private static MethodDeclarationSyntax? ImplementationWithoutUserDefinition(IMethodSymbol method)
    {
        var parts = new[] { method, method.PartialDefinitionPart, method.PartialImplementationPart }
            .Where(part => part is not null)
            .SelectMany(part => part!.DeclaringSyntaxReferences)
            .Where(reference => !MobilitySymbols.IsGenerated(reference.SyntaxTree))
            .Select(reference => reference.GetSyntax())
            .OfType<MethodDeclarationSyntax>()
            .Distinct()
            .ToArray();
        if (parts.Length == 0 || !parts.Any(part => part.Modifiers.Any(SyntaxKind.PartialKeyword)))
        {
            return null; // an ordinary method: it is the hook
        }

        if (parts.Any(part => part.Body is null && part.ExpressionBody is null))
        {
            return null; // the user wrote the definition: the generator only calls it
        }

        return parts.FirstOrDefault(part => part.Modifiers.Any(SyntaxKind.PartialKeyword));
    }

    /// <summary>MOB0008 and MOB0009: the constructor ActivatorUtilities will pick, and whether it can fill it.</summary>
    private static void CheckConstructors(SymbolAnalysisContext context, INamedTypeSymbol type, string name, Location location)
    {
        var publicConstructors = type.InstanceConstructors.Where(constructor => constructor.DeclaredAccessibility == Accessibility.Public).ToArray();
        IMethodSymbol? chosen;
        if (publicConstructors.Length == 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NoInjectableConstructor, location, name, "has no public constructor"));
            return;
        }

        if (publicConstructors.Length == 1)
        {
            chosen = publicConstructors[0];
        }
        else
        {
            var marked = publicConstructors.Where(constructor => constructor.GetAttributes().Any(attribute =>
                attribute.AttributeClass is { Name: "ActivatorUtilitiesConstructorAttribute" } attributeClass
                && attributeClass.IsInNamespace("Microsoft", "Extensions", "DependencyInjection"))).ToArray();
            if (marked.Length != 1)
            {
                var problem = marked.Length == 0
                    ? $"has {publicConstructors.Length} public constructors and none is marked [ActivatorUtilitiesConstructor]"
                    : $"has {marked.Length} public constructors marked [ActivatorUtilitiesConstructor]";
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NoInjectableConstructor, location, name, problem));
                return;
            }

            chosen = marked[0];
        }

        foreach (var parameter in chosen.Parameters)
        {
            if (parameter.HasExplicitDefaultValue || parameter.IsParams || !IsRarelyAService(parameter.Type)
                || parameter.GetAttributes().Any(attribute => attribute.AttributeClass?.Name is "FromKeyedServicesAttribute" or "ServiceKeyAttribute")
                || parameter.UserLocation() is not { } parameterLocation)
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UninjectableParameter, parameterLocation, parameter.Name, parameter.Type.Display(), name));
        }
    }

    /// <summary>Values nobody registers as services: numbers, strings, enums and the like (conservative).</summary>
    private static bool IsRarelyAService(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (Encodability.IsScalar(type.SpecialType))
        {
            return true;
        }

        return type.TypeKind == TypeKind.Enum
            || (type.Name is "Guid" or "TimeSpan" or "DateTimeOffset" && type.IsInNamespace("System"));
    }
}
