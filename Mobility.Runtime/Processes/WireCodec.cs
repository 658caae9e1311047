using System.Buffers;
using MemoryPack;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>Encodes and decodes single values and message arguments with MemoryPack's writer and reader.</summary>
internal static class WireCodec
{
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public static byte[] Encode<T>(T value, MemoryPackSerializerOptions options)
    {
        var buffer = TakeBuffer();
        try
        {
            using var state = MemoryPackWriterOptionalStatePool.Rent(options);
            var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
            writer.WriteValue(value);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            GiveBack(buffer);
        }
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
        var buffer = TakeBuffer();
        try
        {
            using var state = MemoryPackWriterOptionalStatePool.Rent(options);
            var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
            message.WriteArguments(ref writer);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            GiveBack(buffer);
        }
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

    /// <summary>The calling thread's encoding buffer, taken out of its slot while in use (a nested encode gets its own).</summary>
    private static ArrayBufferWriter<byte> TakeBuffer()
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        t_buffer = null;
        return buffer;
    }

    private static void GiveBack(ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= MaxKeptBuffer)
        {
            buffer.ResetWrittenCount();
            t_buffer = buffer;
        }
    }
}
