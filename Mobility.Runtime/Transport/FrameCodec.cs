using System.Buffers;
using System.Buffers.Binary;

namespace Mobility.Transport;

/// <summary>
/// The wire format of a frame: a 4-byte little-endian payload length, then the payload.
/// Zero-length payloads are legal. The codec knows lengths, never what a payload means.
/// </summary>
internal static class FrameCodec
{
    /// <summary>The size of the length header that precedes every payload.</summary>
    public const int HeaderSize = sizeof(uint);

    /// <summary>
    /// Looks for one frame at the start of <paramref name="buffer"/>. On <see cref="FrameReadStatus.Complete"/>,
    /// <paramref name="payload"/> is the frame's payload (a slice of the buffer, valid as long as the buffer is) and
    /// <paramref name="buffer"/> is advanced past the frame. Otherwise <paramref name="buffer"/> is unchanged.
    /// <paramref name="announcedLength"/> is the payload length the header announces, or -1 when the header is incomplete.
    /// A length above <paramref name="maxPayloadLength"/> yields <see cref="FrameReadStatus.TooLarge"/> as soon as
    /// the header is read, before any of the payload is needed.
    /// </summary>
    public static FrameReadStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, out ReadOnlySequence<byte> payload, out long announcedLength)
    {
        payload = default;
        if (buffer.Length < HeaderSize)
        {
            announcedLength = -1;
            return FrameReadStatus.Incomplete;
        }

        uint length = ReadHeader(buffer);
        announcedLength = length;
        if (length > (uint)maxPayloadLength)
        {
            return FrameReadStatus.TooLarge;
        }

        if (buffer.Length - HeaderSize < length)
        {
            return FrameReadStatus.Incomplete;
        }

        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return FrameReadStatus.Complete;
    }

    /// <summary>Writes the length header of a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)payloadLength);
    }

    /// <summary>Writes a whole frame (header and payload) to <paramref name="writer"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        WriteHeader(writer.GetSpan(HeaderSize), payload.Length);
        writer.Advance(HeaderSize);
        writer.Write(payload);
    }

    /// <summary>
    /// Describes, for a log, where a stream that ended with <paramref name="bufferedBytes"/> unread bytes
    /// stopped inside a frame (those bytes being the start of an incomplete frame).
    /// </summary>
    public static string DescribeTruncation(long bufferedBytes, long announcedLength) =>
        announcedLength < 0
            ? $"the stream ended inside a frame header ({bufferedBytes} of {HeaderSize} bytes)"
            : $"the stream ended inside a frame ({bufferedBytes - HeaderSize} of {announcedLength} payload bytes)";

    private static uint ReadHeader(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= HeaderSize)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(first);
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        return BinaryPrimitives.ReadUInt32LittleEndian(header);
    }
}
