using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Mobility.Analyzers;

/// <summary>How a type fares with MemoryPack, from best to worst.</summary>
internal enum EncodabilityKind
{
    /// <summary>MemoryPack encodes it (built in, unmanaged, or [MemoryPackable]).</summary>
    Encodable,

    /// <summary>Encodable, but disposable: what it owns does not travel with it.</summary>
    Disposable,

    /// <summary>A collection type MemoryPack does not know unless a formatter is registered.</summary>
    Unknown,

    /// <summary>MemoryPack cannot encode it.</summary>
    NotEncodable,

    /// <summary>A resource bound to this machine (socket, stream, task, timer...): cannot encode, cannot move.</summary>
    Resource,
}

/// <summary>The verdict on a type, with the innermost type that decided it (an element type, a type argument...).</summary>
internal readonly struct EncodabilityVerdict
{
    public EncodabilityVerdict(EncodabilityKind kind, ITypeSymbol? culprit, string? reason = null)
    {
        Kind = kind;
        Culprit = culprit;
        Reason = reason;
    }

    public EncodabilityKind Kind { get; }

    public ITypeSymbol? Culprit { get; }

    /// <summary>For types no generated field can hold (pointers, ref structs, dynamic): why.</summary>
    public string? Reason { get; }

    public static EncodabilityVerdict Ok => new(EncodabilityKind.Encodable, null);

    public EncodabilityVerdict Worst(EncodabilityVerdict other) => other.Kind > Kind ? other : this;
}

/// <summary>
/// Decides whether MemoryPack can encode a type, conservatively: it knows what MemoryPack 1.x
/// registers itself (primitives, unmanaged structs, well-known BCL types, arrays, tuples, the BCL,
/// immutable and frozen collections and their interfaces) and what is [MemoryPackable] or implements
/// IMemoryPackable&lt;T&gt;. Unknown generic collections get the benefit of the doubt (a warning).
/// </summary>
internal sealed class Encodability
{
    /// <summary>Booleans, characters, numbers, decimal, string and DateTime: plain values MemoryPack encodes natively.</summary>
    public static bool IsScalar(SpecialType special) => special is
        SpecialType.System_Boolean or SpecialType.System_Char or
        SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or
        SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal or
        SpecialType.System_String or SpecialType.System_DateTime;

    /// <summary>Non-generic types MemoryPack registers formatters for (beyond primitives and unmanaged structs).</summary>
    private static readonly HashSet<string> KnownTypes = new()
    {
        "System.String", "System.Decimal", "System.Guid", "System.TimeSpan", "System.DateTime", "System.DateTimeOffset",
        "System.DateOnly", "System.TimeOnly", "System.Half", "System.Int128", "System.UInt128", "System.Text.Rune",
        "System.Numerics.BigInteger", "System.Numerics.Complex", "System.Numerics.Plane", "System.Numerics.Quaternion",
        "System.Numerics.Matrix3x2", "System.Numerics.Matrix4x4", "System.Numerics.Vector2", "System.Numerics.Vector3",
        "System.Numerics.Vector4", "System.Version", "System.Uri", "System.TimeZoneInfo", "System.Collections.BitArray",
        "System.Text.StringBuilder", "System.Type", "System.Globalization.CultureInfo",
    };

    /// <summary>Generic type definitions MemoryPack encodes when their type arguments are encodable.</summary>
    private static readonly HashSet<string> KnownGenericTypes = new()
    {
        "System.Nullable`1", "System.Lazy`1", "System.Collections.Generic.KeyValuePair`2",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.ArraySegment`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.Buffers.ReadOnlySequence`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Stack`1", "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.PriorityQueue`2", "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.ObjectModel.ObservableCollection`1", "System.Collections.ObjectModel.Collection`1",
        "System.Collections.ObjectModel.ReadOnlyCollection`1", "System.Collections.ObjectModel.ReadOnlyObservableCollection`1",
        "System.Collections.ObjectModel.ReadOnlyDictionary`2",
        "System.Collections.Concurrent.ConcurrentQueue`1", "System.Collections.Concurrent.ConcurrentStack`1",
        "System.Collections.Concurrent.ConcurrentBag`1", "System.Collections.Concurrent.ConcurrentDictionary`2",
        "System.Collections.Concurrent.BlockingCollection`1",
        "System.Collections.Frozen.FrozenDictionary`2", "System.Collections.Frozen.FrozenSet`1",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableQueue`1", "System.Collections.Immutable.ImmutableStack`1",
        "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.ImmutableSortedDictionary`2",
        "System.Collections.Immutable.ImmutableSortedSet`1", "System.Collections.Immutable.ImmutableHashSet`1",
        "System.Collections.Immutable.IImmutableList`1", "System.Collections.Immutable.IImmutableQueue`1",
        "System.Collections.Immutable.IImmutableStack`1", "System.Collections.Immutable.IImmutableDictionary`2",
        "System.Collections.Immutable.IImmutableSet`1",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IList`1",
        "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IDictionary`2",
        "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Generic.ISet`1",
        "System.Collections.Generic.IReadOnlySet`1", "System.Linq.ILookup`2", "System.Linq.IGrouping`2",
    };

    /// <summary>
    /// Resources bound to the machine that opened them; a type deriving from or implementing one
    /// of these is a resource too. Tasks and tokens are here: they stand for work in progress on this node.
    /// </summary>
    private static readonly string[] ResourceTypeNames =
    {
        "System.IO.Stream", "System.IO.TextReader", "System.IO.TextWriter", "System.IO.FileSystemWatcher",
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.UdpClient", "System.Net.Sockets.TcpListener",
        "System.Net.Http.HttpMessageInvoker", "System.Net.Http.HttpMessageHandler",
        "System.Threading.Thread", "System.Threading.Tasks.Task", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1",
        "System.Threading.CancellationTokenSource", "System.Threading.CancellationToken", "System.Threading.CancellationTokenRegistration",
        "System.Threading.Timer", "System.Timers.Timer", "System.Threading.PeriodicTimer", "System.Threading.ITimer",
        "System.Threading.WaitHandle", "System.Threading.SemaphoreSlim", "System.Threading.ManualResetEventSlim",
        "System.Threading.CountdownEvent", "System.Threading.Barrier", "System.Threading.ReaderWriterLockSlim",
        "System.Diagnostics.Process", "System.Data.Common.DbConnection", "System.Data.IDbConnection",
        "System.Data.IDbTransaction", "System.Data.IDbCommand", "System.Threading.Channels.ChannelReader`1",
        "System.Threading.Channels.ChannelWriter`1", "System.Threading.Channels.Channel`2",
        "System.IServiceProvider", "Microsoft.Extensions.DependencyInjection.IServiceScope", "Mobility.MobilityNode",
    };

    private readonly List<INamedTypeSymbol> _resourceTypes = new();
    private readonly INamedTypeSymbol? _memoryPackable;
    private readonly INamedTypeSymbol? _memoryPackUnion;
    private readonly INamedTypeSymbol? _iMemoryPackable;
    private readonly INamedTypeSymbol? _disposable;
    private readonly INamedTypeSymbol? _asyncDisposable;
    private readonly INamedTypeSymbol? _enumerableOfT;

    public Encodability(Compilation compilation)
    {
        foreach (var name in ResourceTypeNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                _resourceTypes.Add(type);
            }
        }

        _memoryPackable = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackableAttribute");
        _memoryPackUnion = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackUnionAttribute");
        _iMemoryPackable = compilation.GetTypeByMetadataName("MemoryPack.IMemoryPackable`1");
        _disposable = compilation.GetTypeByMetadataName("System.IDisposable");
        _asyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
        _enumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
    }

    /// <summary>The verdict on <paramref name="type"/>, its element types and type arguments: the worst of them.</summary>
    public EncodabilityVerdict Classify(ITypeSymbol type) => Classify(type, depth: 0);

    private EncodabilityVerdict Classify(ITypeSymbol type, int depth)
    {
        if (depth > 16)
        {
            return EncodabilityVerdict.Ok;
        }

        switch (type)
        {
            case IErrorTypeSymbol:
            case ITypeParameterSymbol: // generic handlers get their own diagnostic
                return EncodabilityVerdict.Ok;
            case IDynamicTypeSymbol:
                return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type, "is dynamic");
            case IPointerTypeSymbol:
            case IFunctionPointerTypeSymbol:
                return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type, "is a pointer");
            case IArrayTypeSymbol array:
                return array.Rank > 4
                    ? new EncodabilityVerdict(EncodabilityKind.NotEncodable, type)
                    : Classify(array.ElementType, depth + 1);
            case INamedTypeSymbol named:
                return ClassifyNamed(named, depth);
            default:
                return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type);
        }
    }

    private EncodabilityVerdict ClassifyNamed(INamedTypeSymbol type, int depth)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return EncodabilityVerdict.Ok;
        }

        if (type.IsRefLikeType)
        {
            return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type, "is a ref struct");
        }

        if (IsResource(type))
        {
            return new EncodabilityVerdict(EncodabilityKind.Resource, type);
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Object:
                return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type);
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return EncodabilityVerdict.Ok;
            case var special when IsScalar(special):
                return EncodabilityVerdict.Ok;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return EncodabilityVerdict.Ok;
        }

        if (type.TypeKind == TypeKind.Delegate)
        {
            return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type);
        }

        var definition = type.OriginalDefinition;
        var name = MetadataName(definition);
        if (!type.IsGenericType && KnownTypes.Contains(name))
        {
            return EncodabilityVerdict.Ok;
        }

        if (type.IsGenericType && KnownGenericTypes.Contains(name))
        {
            return ClassifyArguments(type, depth);
        }

        if (IsMemoryPackable(type))
        {
            // A generic [MemoryPackable] of this compilation encodes its type arguments; a compiled
            // IMemoryPackable (ProcessRef<T>) brings its own formatter, whatever its arguments.
            var verdict = type.IsGenericType && type.Locations.Any(location => location.IsInSource)
                ? ClassifyArguments(type, depth)
                : EncodabilityVerdict.Ok;
            return IsDisposable(type) ? verdict.Worst(new EncodabilityVerdict(EncodabilityKind.Disposable, type)) : verdict;
        }

        if (type.TypeKind is TypeKind.Struct && type.IsUnmanagedType)
        {
            return EncodabilityVerdict.Ok;
        }

        if (IsDisposable(type))
        {
            return new EncodabilityVerdict(EncodabilityKind.Resource, type);
        }

        if (IsEnumerableOfT(type))
        {
            return new EncodabilityVerdict(EncodabilityKind.Unknown, type).Worst(type.IsGenericType ? ClassifyArguments(type, depth) : EncodabilityVerdict.Ok);
        }

        return new EncodabilityVerdict(EncodabilityKind.NotEncodable, type);
    }

    private EncodabilityVerdict ClassifyArguments(INamedTypeSymbol type, int depth)
    {
        var verdict = EncodabilityVerdict.Ok;
        foreach (var argument in type.TypeArguments)
        {
            verdict = verdict.Worst(Classify(argument, depth + 1));
        }

        return verdict;
    }

    private bool IsMemoryPackable(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass is null)
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(attributeClass, _memoryPackable)
                || SymbolEqualityComparer.Default.Equals(attributeClass, _memoryPackUnion)
                || (_memoryPackable is null && attributeClass.Name is "MemoryPackableAttribute" or "MemoryPackUnionAttribute"))
            {
                return true;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (_iMemoryPackable is not null && SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, _iMemoryPackable))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsResource(INamedTypeSymbol type)
    {
        if (_resourceTypes.Count == 0)
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (IsResourceType(current.OriginalDefinition))
            {
                return true;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (IsResourceType(@interface.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsResourceType(INamedTypeSymbol definition)
    {
        foreach (var resource in _resourceTypes)
        {
            if (SymbolEqualityComparer.Default.Equals(definition, resource))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsDisposable(INamedTypeSymbol type)
    {
        if (SymbolEqualityComparer.Default.Equals(type, _disposable) || SymbolEqualityComparer.Default.Equals(type, _asyncDisposable))
        {
            return true;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, _disposable) || SymbolEqualityComparer.Default.Equals(@interface, _asyncDisposable))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsEnumerableOfT(INamedTypeSymbol type)
    {
        if (_enumerableOfT is null)
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, _enumerableOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The namespace-qualified metadata name (<c>System.Collections.Generic.List`1</c>).</summary>
    private static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        var ns = type.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }
}
