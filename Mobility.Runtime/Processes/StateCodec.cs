using System.Buffers;
using MemoryPack;
using Mobility.Generated;

namespace Mobility;

/// <summary>Encodes and decodes the state members of a process instance with MemoryPack.</summary>
internal static class StateCodec
{
    public static byte[] Write(IMobileProcess instance, MemoryPackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(options);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        instance.WriteState(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes do not hold this type's state.</exception>
    public static void Read(IMobileProcess instance, ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        using var state = MemoryPackReaderOptionalStatePool.Rent(options);
        var reader = new MemoryPackReader(bytes, state);
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
