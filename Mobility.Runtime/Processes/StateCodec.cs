using System.Buffers;
using MemoryPack;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>Encodes and decodes the state members of a process instance with MemoryPack.</summary>
internal static class StateCodec
{
    public static byte[] Write(IMobileProcess instance, MemoryPackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(instance, buffer, options);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the state straight into <paramref name="output"/> (e.g. the frame that carries it), without an intermediate array.</summary>
    public static void Write<TBufferWriter>(IMobileProcess instance, TBufferWriter output, MemoryPackSerializerOptions options)
        where TBufferWriter : class, IBufferWriter<byte>
    {
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<TBufferWriter>(ref output, state);
        instance.WriteState(ref writer);
        writer.Flush();
    }

    /// <exception cref="InvalidDataException">The bytes do not hold this type's state.</exception>
    public static void Read(IMobileProcess instance, ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        Read(instance, new MemoryPackReader(bytes, state));
    }

    /// <summary>Reads the state from (possibly several segments of) a received frame.</summary>
    /// <exception cref="InvalidDataException">The bytes do not hold this type's state.</exception>
    public static void Read(IMobileProcess instance, in ReadOnlySequence<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        Read(instance, new MemoryPackReader(bytes, state));
    }

    private static void Read(IMobileProcess instance, MemoryPackReader reader)
    {
        try
        {
            instance.ReadState(ref reader);
            if (reader.Remaining != 0)
            {
                throw new InvalidDataException(
                    $"The state of '{instance.GetType().FullName}' left {reader.Remaining} bytes unread: it was written by a different version of the type.");
            }
        }
        catch (MemoryPackSerializationException exception)
        {
            throw new InvalidDataException(
                $"The state of '{instance.GetType().FullName}' could not be decoded: it was written by a different version of the type.", exception);
        }
        finally
        {
            reader.Dispose();
        }
    }
}
