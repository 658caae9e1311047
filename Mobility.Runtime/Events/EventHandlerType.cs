using MemoryPack;
using Mobility.Processes;

namespace Mobility.Events;

/// <summary>
/// An event handler class a node knows and may instantiate from bytes: registered with
/// <c>services.AddEventHandler&lt;THandler&gt;()</c>, never discovered (the trust policy of process types).
/// </summary>
internal sealed class EventHandlerType
{
    private readonly Func<object, MemoryPackSerializerOptions, byte[]> _encode;
    private readonly Func<byte[], MemoryPackSerializerOptions, object?> _decode;

    private EventHandlerType(string typeId, Type clrType, Func<object, MemoryPackSerializerOptions, byte[]> encode, Func<byte[], MemoryPackSerializerOptions, object?> decode)
    {
        TypeId = typeId;
        ClrType = clrType;
        _encode = encode;
        _decode = decode;
    }

    /// <summary>The class's stable name on the wire.</summary>
    public string TypeId { get; }

    public Type ClrType { get; }

    public static EventHandlerType Of<THandler>()
        where THandler : class, IMemoryPackable<THandler> =>
        new(
            IdOf<THandler>(),
            typeof(THandler),
            (handler, options) => WireCodec.Encode((THandler)handler, options),
            (bytes, options) => WireCodec.Decode<THandler>(bytes, options));

    public static string IdOf<THandler>() => StableTypeName.Of(typeof(THandler));

    public byte[] Encode(object handler, MemoryPackSerializerOptions options) => _encode(handler, options);

    /// <exception cref="InvalidDataException">The bytes are not an instance of this class.</exception>
    public object Decode(byte[] bytes, MemoryPackSerializerOptions options)
    {
        try
        {
            return _decode(bytes, options) ?? throw new InvalidDataException($"An event handler of type '{TypeId}' was encoded as null.");
        }
        catch (Exception exception) when (exception is MemoryPackSerializationException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"An event handler of type '{TypeId}' could not be decoded: {exception.Message}", exception);
        }
    }
}

/// <summary>The event handler classes registered with a node's services, by wire id and by CLR type.</summary>
internal sealed class EventHandlerTypes
{
    private readonly Dictionary<string, EventHandlerType> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, EventHandlerType> _byType = [];

    public EventHandlerTypes(IEnumerable<EventHandlerType> types)
    {
        foreach (var type in types)
        {
            _byId.TryAdd(type.TypeId, type);
            _byType.TryAdd(type.ClrType, type);
        }
    }

    public static EventHandlerTypes None { get; } = new([]);

    public EventHandlerType? Find(string typeId) => _byId.GetValueOrDefault(typeId);

    public EventHandlerType? Find(Type clrType) => _byType.GetValueOrDefault(clrType);
}
