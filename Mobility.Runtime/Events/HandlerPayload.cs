using System.Buffers;
using MemoryPack;
using Mobility.Processes;

namespace Mobility.Events;

/// <summary>
/// An event handler inside an add or swap message: the instance itself while the message stays on the sender's
/// node, its type id and MemoryPack bytes once it crosses to another (decoded by the manager, which instantiates
/// only registered types).
/// </summary>
internal sealed class HandlerPayload
{
    private readonly Func<MemoryPackSerializerOptions, byte[]>? _encode;
    private readonly byte[]? _bytes;

    private HandlerPayload(string typeId, object? instance, Func<MemoryPackSerializerOptions, byte[]>? encode, byte[]? bytes)
    {
        TypeId = typeId;
        Instance = instance;
        _encode = encode;
        _bytes = bytes;
    }

    public string TypeId { get; }

    /// <summary>The handler passed by reference, or null if it arrived encoded.</summary>
    public object? Instance { get; }

    /// <summary>The encoded handler, or null if it is passed by reference.</summary>
    public byte[]? Bytes => _bytes;

    public static HandlerPayload Local<THandler>(THandler handler)
        where THandler : class, IMemoryPackable<THandler> =>
        new(EventHandlerType.IdOf<THandler>(), handler, options => WireCodec.Encode(handler, options), null);

    public void Write<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>
    {
        writer.WriteString(TypeId);
        writer.WriteValue(_bytes ?? _encode!(writer.Options));
    }

    /// <exception cref="InvalidDataException">A part is missing.</exception>
    public static HandlerPayload Read(ref MemoryPackReader reader)
    {
        var typeId = EventWire.RequiredString(ref reader, "event handler type");
        var bytes = reader.ReadValue<byte[]>() ?? throw new InvalidDataException($"An event handler of type '{typeId}' arrived without its bytes.");
        return new HandlerPayload(typeId, null, null, bytes);
    }
}

/// <summary>Reading helpers for event manager messages and state.</summary>
internal static class EventWire
{
    /// <exception cref="InvalidDataException">The string is null.</exception>
    public static string RequiredString(ref MemoryPackReader reader, string what) =>
        reader.ReadString() ?? throw new InvalidDataException($"An event manager message lacks its {what}.");
}
