using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Mobility.Analyzers;

/// <summary>
/// The symbols the analyzers compare against, looked up once per compilation. Null when the
/// compilation does not reference the Mobility runtime: then the analyzers have nothing to say.
/// </summary>
internal sealed class MobilitySymbols
{
    private MobilitySymbols(Compilation compilation, INamedTypeSymbol mobileProcessAttribute)
    {
        Compilation = compilation;
        MobileProcessAttribute = mobileProcessAttribute;
        CallAttribute = compilation.GetTypeByMetadataName("Mobility.CallAttribute");
        CastAttribute = compilation.GetTypeByMetadataName("Mobility.CastAttribute");
        TransientAttribute = compilation.GetTypeByMetadataName("Mobility.TransientAttribute");
        ProcessRefOfT = compilation.GetTypeByMetadataName("Mobility.ProcessRef`1");
        MobilityNode = compilation.GetTypeByMetadataName("Mobility.MobilityNode");
        Destination = compilation.GetTypeByMetadataName("Mobility.Destination");
        MigrationInfo = compilation.GetTypeByMetadataName("Mobility.MigrationInfo");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Encodability = new Encodability(compilation);
    }

    public Compilation Compilation { get; }

    public INamedTypeSymbol MobileProcessAttribute { get; }

    public INamedTypeSymbol? CallAttribute { get; }

    public INamedTypeSymbol? CastAttribute { get; }

    public INamedTypeSymbol? TransientAttribute { get; }

    public INamedTypeSymbol? ProcessRefOfT { get; }

    public INamedTypeSymbol? MobilityNode { get; }

    public INamedTypeSymbol? Destination { get; }

    public INamedTypeSymbol? MigrationInfo { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public Encodability Encodability { get; }

    public static MobilitySymbols? Create(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Mobility.MobileProcessAttribute") is { } attribute
            ? new MobilitySymbols(compilation, attribute)
            : null;

    public bool IsMobileProcess(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class } named && HasAttribute(named, MobileProcessAttribute);

    public bool IsCall(ISymbol symbol) => CallAttribute is not null && HasAttribute(symbol, CallAttribute);

    public bool IsCast(ISymbol symbol) => CastAttribute is not null && HasAttribute(symbol, CastAttribute);

    public bool IsHandler(ISymbol symbol) => IsCall(symbol) || IsCast(symbol);

    public bool IsTransient(ISymbol symbol) => TransientAttribute is not null && HasAttribute(symbol, TransientAttribute);

    public bool IsCancellationToken(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    /// <summary>
    /// The state of a process: instance fields and auto-properties (members with a compiler-made
    /// backing field) not marked [Transient], as the generator snapshots them.
    /// </summary>
    public ImmutableArray<ISymbol> StateMembers(INamedTypeSymbol process)
    {
        var builder = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var member in process.GetMembers())
        {
            if (IsStateMember(member))
            {
                builder.Add(member);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Whether <paramref name="member"/> is a state member of a process (see <see cref="StateMembers"/>).</summary>
    public bool IsStateMember(ISymbol member)
    {
        switch (member)
        {
            case IFieldSymbol { IsImplicitlyDeclared: false, IsConst: false, IsStatic: false } field:
                return !IsTransient(field) && IsMobileProcess(field.ContainingType);
            case IPropertySymbol { IsStatic: false, IsIndexer: false } property:
                var backingField = BackingField(property);
                return backingField is not null
                    && !IsTransient(property)
                    && !IsTransient(backingField)
                    && IsMobileProcess(property.ContainingType);
            default:
                return false;
        }
    }

    public static IFieldSymbol? BackingField(IPropertySymbol property) =>
        property.ContainingType.GetMembers()
            .OfType<IFieldSymbol>()
            .FirstOrDefault(field => field.IsImplicitlyDeclared && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    /// <summary>
    /// Whether <paramref name="symbol"/> is one of the process-side members the generator writes
    /// (or the user wrote in their place): <c>Self</c>, <c>SendMe(Destination)</c>, <c>Register(string)</c>,
    /// <c>Stop()</c>, <c>Stop(Exception)</c>, <c>SendAfter(TimeSpan, ...)</c>, <c>CancelTimer(TimerId)</c>, <c>Monitor</c>,
    /// <c>Demonitor</c>, <c>Link</c> and <c>Unlink</c> of a mobile process, and the transitions and timeouts of a state
    /// machine (<c>NextState</c>, <c>Postpone</c>, <c>Set*Timeout</c>, <c>Cancel*Timeout</c>), not themselves handlers.
    /// </summary>
    public bool IsProcessSideMember(ISymbol symbol)
    {
        if (symbol.IsStatic || !IsMobileProcess(symbol.ContainingType))
        {
            return false;
        }

        switch (symbol)
        {
            case IPropertySymbol { Name: "Self" } property:
                return property.Type is INamedTypeSymbol named
                    && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ProcessRefOfT);
            case IMethodSymbol { Name: "SendMe", Parameters.Length: 1 } method when !IsHandler(method):
                return SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, Destination);
            case IMethodSymbol { Name: "Register", Parameters.Length: 1 } method when !IsHandler(method):
                return method.Parameters[0].Type.SpecialType == SpecialType.System_String;
            case IMethodSymbol { Name: "Stop", Parameters.Length: 0 } method when !IsHandler(method):
                return true;
            case IMethodSymbol { Name: "Stop", Parameters.Length: 1 } method when !IsHandler(method):
                return method.Parameters[0].Type.ToDisplayString() == "System.Exception";
            case IMethodSymbol { Name: "Monitor" or "Link" or "Unlink", Parameters.Length: 1 } method when !IsHandler(method):
                return method.Parameters[0].Type.ToDisplayString() == "Mobility.ProcessRef";
            case IMethodSymbol { Name: "Demonitor", Parameters.Length: 1 } method when !IsHandler(method):
                return method.Parameters[0].Type.ToDisplayString() == "Mobility.MonitorRef";
            case IMethodSymbol { Name: "SendAfter", Parameters.Length: 2 } method when !IsHandler(method):
                return method.Parameters[0].Type.ToDisplayString() == "System.TimeSpan";
            case IMethodSymbol { Name: "CancelTimer", Parameters.Length: 1 } method when !IsHandler(method):
                return method.Parameters[0].Type.ToDisplayString() == "Mobility.TimerId";
            case IMethodSymbol { Name: "NextState" or "Postpone" or "SetEventTimeout" or "SetStateTimeout" or "SetTimeout" or "CancelEventTimeout" or "CancelStateTimeout" or "CancelTimeout" } method
                when !IsHandler(method):
                return symbol.ContainingType.GetAttributes().Any(data => data.AttributeClass?.ToDisplayString() == "Mobility.StateMachineAttribute");
            default:
                return false;
        }
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a syntax tree is generated code (the generator's own output among them).</summary>
    public static bool IsGenerated(SyntaxTree? tree) =>
        tree is not null
        && (tree.FilePath.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase)
            || tree.GetRoot().GetLeadingTrivia().ToString().Contains("<auto-generated"));
}
