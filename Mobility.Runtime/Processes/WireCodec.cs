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

    /// <summary>Encodes <paramref name="value"/> straight into <paramref name="output"/> (a frame, for a call's result).</summary>
    public static void Write<T>(IBufferWriter<byte> output, T value, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<IBufferWriter<byte>>(ref output, state);
        writer.WriteValue(value);
        writer.Flush();
    }

    /// <summary>Decodes a call's result, which must fill <paramref name="bytes"/> exactly (bytes from another node: anything may be wrong).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a <typeparamref name="T"/>.</exception>
    public static T? DecodeResult<T>(in ReadOnlySequence<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            var value = reader.ReadValue<T>();
            return reader.Remaining == 0
                ? value
                : throw new InvalidDataException($"A '{typeof(T).Name}' result left {reader.Remaining} bytes unread.");
        }
        catch (Exception exception) when (exception is not (InvalidDataException or OutOfMemoryException))
        {
            // Hostile bytes make MemoryPack throw more than its own exception type (index, overflow, cast...).
            throw new InvalidDataException($"A '{typeof(T).Name}' result could not be decoded: {exception.Message}", exception);
        }
        finally
        {
            reader.Dispose();
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
    public static ProcessMessage DecodeSystemMessage(int handlerId, in ReadOnlySequence<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
        try
        {
            return SystemCalls.Read(handlerId, ref reader);
        }
        catch (Exception exception) when (exception is not (InvalidDataException or OutOfMemoryException))
        {
            // Bytes from another node: hostile ones make MemoryPack throw more than its own exception type.
            throw new InvalidDataException($"A system message (handler {handlerId}) could not be decoded: {exception.Message}", exception);
        }
        finally
        {
            reader.Dispose();
        }
    }

    /// <summary>Encodes a message's arguments straight into <paramref name="output"/> (the frame that carries the message).</summary>
    public static void WriteArguments(IBufferWriter<byte> output, ProcessMessage message, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<IBufferWriter<byte>>(ref output, state);
        message.WriteArguments(ref writer);
        writer.Flush();
    }

    /// <summary>A message's arguments as an array, for a message kept apart from any frame (queued in a migration offer, a timer).</summary>
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
    public static ProcessMessage DecodeArguments(ProcessType type, int handlerId, in ReadOnlySequence<byte> bytes, MemoryPackSerializerOptions options)
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
        catch (Exception exception) when (exception is not (InvalidDataException or OutOfMemoryException))
        {
            // Bytes from another node: hostile ones make MemoryPack throw more than its own exception type.
            throw new InvalidDataException($"The arguments of a message to '{type.TypeId}' (handler {handlerId}) could not be decoded: {exception.Message}", exception);
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
