using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Mobility.Analyzers;

/// <summary>
/// The <c>[Call]</c> and <c>[Cast]</c> handlers of a <c>[MobileProcess]</c>: their shape, what they
/// take and return (it crosses the wire), and the names the generator derives from them.
/// MOB0020–MOB0028.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.HandlerShape,
        Descriptors.HandlerByRef,
        Descriptors.HandlerTypeNotEncodable,
        Descriptors.HandlerTypeMaybeNotEncodable,
        Descriptors.CastReturnsValue,
        Descriptors.CallAndCast,
        Descriptors.CancellationTokenPosition,
        Descriptors.HandlerNameClash,
        Descriptors.HandlerShadowed);

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

        var flatName = FlatName(type);
        var extensionClassName = flatName + "ProcessRefExtensions";
        var names = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var extensionNames = new Dictionary<string, IMethodSymbol>(StringComparer.Ordinal);
        var ids = new Dictionary<int, IMethodSymbol>();
        var shadowing = ShadowingMembers(symbols);
        var isStateMachine = type.GetAttributes().Any(data => data.AttributeClass?.ToDisplayString() == "Mobility.StateMachineAttribute");
        foreach (var member in type.GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method || method.UserLocation() is not { } location)
            {
                continue;
            }

            var isCall = symbols.IsCall(method);
            var isCast = symbols.IsCast(method);
            if (!isCall && !isCast)
            {
                continue;
            }

            if (isCall && isCast)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CallAndCast, location, method.Name));
                continue;
            }

            CheckShape(context, method, location);
            CheckParameters(context, symbols, method, isCast);
            CheckResult(context, symbols, method, isCast);

            var eventName = EventName(method, symbols);
            if (names.TryGetValue(eventName, out var sameName))
            {
                if (isStateMachine && sameName.Name != method.Name)
                {
                    continue; // handlers of one event in different states: MOB0054/MOB0055 check them
                }

                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerNameClash, location, method.Name,
                    sameName.Name == method.Name
                        ? $"another handler named '{sameName.Name}': handlers cannot be overloaded"
                        : $"handler '{sameName.Name}' of the same event '{eventName}': only a [StateMachine] serves one event with several handlers"));
                continue;
            }

            names.Add(eventName, method);
            var extensionName = isCall && !eventName.EndsWith("Async", StringComparison.Ordinal) ? eventName + "Async" : eventName;
            if (extensionNames.TryGetValue(extensionName, out var sameExtension))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerNameClash, location, method.Name,
                    $"handler '{sameExtension.Name}': both get the extension method '{extensionName}'"));
            }
            else
            {
                extensionNames.Add(extensionName, method);
            }

            if (extensionName == extensionClassName)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerNameClash, location, method.Name,
                    $"the generated extension class '{extensionClassName}'"));
            }

            var id = HandlerId(method, eventName, symbols);
            if (ids.TryGetValue(id, out var sameId))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerNameClash, location, method.Name,
                    $"handler '{sameId.Name}': their wire ids (hashes of name and parameter types) collide; rename one"));
            }
            else
            {
                ids.Add(id, method);
            }

            if (shadowing.Contains(extensionName))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerShadowed, location, extensionName, method.Name));
            }
        }
    }

    private static void CheckShape(SymbolAnalysisContext context, IMethodSymbol method, Location location)
    {
        string? problem = null;
        if (method.MethodKind != MethodKind.Ordinary)
        {
            problem = method.MethodKind switch
            {
                MethodKind.PropertyGet or MethodKind.PropertySet => "a property accessor",
                MethodKind.EventAdd or MethodKind.EventRemove => "an event accessor",
                MethodKind.ExplicitInterfaceImplementation => "an explicit interface implementation",
                MethodKind.UserDefinedOperator or MethodKind.Conversion => "an operator",
                _ => "a special method",
            };
        }
        else if (method.IsStatic)
        {
            problem = "static";
        }
        else if (method.Arity != 0)
        {
            problem = "generic";
        }
        else if (method.IsVararg)
        {
            problem = "a method taking __arglist";
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerShape, location, method.Name, problem));
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerByRef, location, method.Name, "returns by reference"));
        }
    }

    private static void CheckParameters(SymbolAnalysisContext context, MobilitySymbols symbols, IMethodSymbol method, bool isCast)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var location = parameter.UserLocation() ?? method.UserLocation()!;
            if (parameter.RefKind != RefKind.None)
            {
                var how = parameter.RefKind switch
                {
                    RefKind.Out => "out",
                    RefKind.In => "in",
                    RefKind.Ref => "ref",
                    _ => "by reference",
                };
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerByRef, location, method.Name, $"takes parameter '{parameter.Name}' as '{how}'"));
                continue;
            }

            if (parameter.IsParams)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerByRef, location, method.Name, $"takes 'params' parameter '{parameter.Name}'"));
                continue;
            }

            if (symbols.IsCancellationToken(parameter.Type))
            {
                if (isCast)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CancellationTokenPosition, location, method.Name, "but a cast has no caller to cancel it"));
                }
                else if (i != method.Parameters.Length - 1)
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.CancellationTokenPosition, location, method.Name, "that is not its last parameter"));
                }

                continue;
            }

            CheckWireType(context, symbols, method, parameter.Type, $"Parameter '{parameter.Name}'", location);
        }
    }

    private static void CheckResult(SymbolAnalysisContext context, MobilitySymbols symbols, IMethodSymbol method, bool isCast)
    {
        if (method.ReturnsVoid || method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return;
        }

        var returnType = method.ReturnType;
        ITypeSymbol? result = returnType;
        if (returnType is INamedTypeSymbol named)
        {
            var definition = named.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(named, symbols.Task) || SymbolEqualityComparer.Default.Equals(named, symbols.ValueTask))
            {
                result = null;
            }
            else if (SymbolEqualityComparer.Default.Equals(definition, symbols.TaskOfT) || SymbolEqualityComparer.Default.Equals(definition, symbols.ValueTaskOfT))
            {
                result = named.TypeArguments[0];
            }
        }

        var location = ReturnTypeLocation(method) ?? method.UserLocation()!;
        if (isCast)
        {
            if (result is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CastReturnsValue, location, method.Name, returnType.Display()));
            }

            return;
        }

        if (result is not null)
        {
            CheckWireType(context, symbols, method, result, "The result", location);
        }
    }

    private static void CheckWireType(SymbolAnalysisContext context, MobilitySymbols symbols, IMethodSymbol method, ITypeSymbol type, string what, Location location)
    {
        var verdict = symbols.Encodability.Classify(type);
        switch (verdict.Kind)
        {
            case EncodabilityKind.Resource:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerTypeNotEncodable, location, what, method.Name, type.Display(),
                    SymbolEqualityComparer.Default.Equals(verdict.Culprit, type)
                        ? "is a resource bound to this machine and cannot be encoded"
                        : $"holds '{verdict.Culprit!.Display()}', a resource bound to this machine that cannot be encoded"));
                return;
            case EncodabilityKind.NotEncodable:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerTypeNotEncodable, location, what, method.Name, type.Display(),
                    "MemoryPack cannot encode" + ProcessStateAnalyzer.Detail(verdict, type)));
                return;
            case EncodabilityKind.Unknown:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerTypeMaybeNotEncodable, location, what, method.Name, type.Display(), verdict.Culprit!.Display()));
                return;
        }

        if (HiddenType(type) is { } hidden)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HandlerTypeNotEncodable, location, what, method.Name, type.Display(),
                $"the generated code cannot name: '{hidden.Display()}' is {(hidden.IsFileLocal ? "file-local" : "a private or protected nested type")}"));
        }
    }

    /// <summary>The part of a type (itself, an element or argument type) that generated code, outside the class, cannot name.</summary>
    private static INamedTypeSymbol? HiddenType(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return HiddenType(array.ElementType);
            case INamedTypeSymbol named:
                for (var current = named; current is not null; current = current.ContainingType)
                {
                    if (current.IsFileLocal || current.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                    {
                        return current;
                    }
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (HiddenType(argument) is { } hidden)
                    {
                        return hidden;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static Location? ReturnTypeLocation(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences
            .Where(reference => !MobilitySymbols.IsGenerated(reference.SyntaxTree))
            .Select(reference => reference.GetSyntax())
            .OfType<MethodDeclarationSyntax>()
            .Select(declaration => declaration.ReturnType.GetLocation())
            .FirstOrDefault();

    /// <summary>Names of the public instance members of ProcessRef&lt;T&gt; (and its bases), which win over extension methods.</summary>
    private static HashSet<string> ShadowingMembers(MobilitySymbols symbols)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var type = symbols.ProcessRefOfT; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (!member.IsStatic && member.DeclaredAccessibility == Accessibility.Public && member.CanBeReferencedByName)
                {
                    names.Add(member.Name);
                }
            }
        }

        return names;
    }

    private static string FlatName(INamedTypeSymbol type)
    {
        var names = new List<string> { type.Name };
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            names.Insert(0, containing.Name);
        }

        return string.Join("_", names);
    }

    /// <summary>The generator's wire id: FNV-1a of "Name(fully.qualified.ParameterTypes)", without the cancellation token.</summary>
    /// <summary>The name of the handler's message: its attribute's <c>Event</c>, or the method's own name.</summary>
    private static string EventName(IMethodSymbol method, MobilitySymbols symbols)
    {
        foreach (var data in method.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, symbols.CallAttribute)
                || SymbolEqualityComparer.Default.Equals(data.AttributeClass, symbols.CastAttribute))
            {
                foreach (var argument in data.NamedArguments)
                {
                    if (argument.Key == "Event" && argument.Value.Value is string name)
                    {
                        return name;
                    }
                }
            }
        }

        return method.Name;
    }

    private static int HandlerId(IMethodSymbol method, string eventName, MobilitySymbols symbols)
    {
        var carried = method.Parameters
            .Where(parameter => !symbols.IsCancellationToken(parameter.Type))
            .Select(parameter => parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        var signature = eventName + "(" + string.Join(",", carried) + ")";
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(signature))
        {
            hash ^= b;
            hash = unchecked(hash * 16777619u);
        }

        var id = (int)(hash & 0x7FFFFFFF);
        return id == 0 ? 1 : id;
    }
}
