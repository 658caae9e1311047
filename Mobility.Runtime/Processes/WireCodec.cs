using System.Buffers;
using MemoryPack;
using Mobility.Generated;

namespace Mobility;

/// <summary>Encodes and decodes single values and message arguments with MemoryPack's writer and reader.</summary>
internal static class WireCodec
{
    public static byte[] Encode<T>(T value, MemoryPackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        writer.WriteValue(value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public static T? Decode<T>(ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            return reader.ReadValue<T>();
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <exception cref="InvalidDataException">The bytes are not a system message that crosses nodes.</exception>
    public static ProcessMessage DecodeSystemMessage(int handlerId, ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            return SystemCalls.Read(handlerId, ref reader);
        }
        catch (Exception exception) when (exception is MemoryPackSerializationException or ArgumentException)
        {
            throw new InvalidDataException($"A system message (handler {handlerId}) could not be decoded: {exception.Message}", exception);
        }
        finally
        {
            reader.Dispose();
        }
    }

    public static byte[] EncodeArguments(ProcessMessage message, MemoryPackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        message.WriteArguments(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not arguments of that handler.</exception>
    public static ProcessMessage DecodeArguments(ProcessType type, int handlerId, ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            var message = type.ReadMessage(handlerId, ref reader);
            return reader.Remaining == 0
                ? message
                : throw new InvalidDataException($"The arguments of '{type.TypeId}.{message.HandlerName}' left {reader.Remaining} bytes unread.");
        }
        catch (MemoryPackSerializationException exception)
        {
            throw new InvalidDataException($"The arguments of a message to '{type.TypeId}' (handler {handlerId}) could not be decoded.", exception);
        }
        finally
        {
            reader.Dispose();
        }
    }
}
