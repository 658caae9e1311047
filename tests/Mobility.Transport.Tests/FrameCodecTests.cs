using System.Buffers;

namespace Mobility.Transport.Tests;

public sealed class FrameCodecTests
{
    [Fact]
    public void A_whole_frame_is_read_and_the_buffer_advances_past_it()
    {
        var buffer = new ReadOnlySequence<byte>([3, 0, 0, 0, 1, 2, 3, 9]);

        Assert.Equal(FrameReadStatus.Complete, FrameCodec.TryReadFrame(ref buffer, 100, out var payload, out long announced));

        Assert.Equal([1, 2, 3], payload.ToArray());
        Assert.Equal(3, announced);
        Assert.Equal([9], buffer.ToArray());
    }

    [Fact]
    public void A_header_split_across_segments_is_read()
    {
        ReadOnlySequence<byte> buffer = Segments([2, 0], [0], [0, 7], [8]);

        Assert.Equal(FrameReadStatus.Complete, FrameCodec.TryReadFrame(ref buffer, 100, out var payload, out _));

        Assert.Equal([7, 8], payload.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_zero_length_frame_is_complete_with_an_empty_payload()
    {
        var buffer = new ReadOnlySequence<byte>([0, 0, 0, 0]);

        Assert.Equal(FrameReadStatus.Complete, FrameCodec.TryReadFrame(ref buffer, 0, out var payload, out _));

        Assert.True(payload.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 5, 0, 0 })]
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 2 })]
    public void An_incomplete_frame_leaves_the_buffer_untouched(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameReadStatus.Incomplete, FrameCodec.TryReadFrame(ref buffer, 100, out _, out _));

        Assert.Equal(bytes.Length, buffer.Length);
    }

    [Fact]
    public void An_announced_length_over_the_limit_is_too_large_as_soon_as_the_header_is_read()
    {
        var buffer = new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0xFF]);

        Assert.Equal(FrameReadStatus.TooLarge, FrameCodec.TryReadFrame(ref buffer, int.MaxValue, out _, out long announced));

        Assert.Equal(uint.MaxValue, announced);
    }

    [Fact]
    public void An_outgoing_frame_spanning_many_segments_has_the_header_of_its_whole_payload()
    {
        byte[] payload = new byte[3 * 1024 * 1024 + 5];
        new Random(3).NextBytes(payload);
        using var frame = new OutgoingFrame(int.MaxValue);
        for (int at = 0; at < payload.Length; at += 1000)
        {
            frame.Write(payload.AsSpan(at, Math.Min(1000, payload.Length - at)));
        }

        frame.Complete();

        var wire = new ArrayBufferWriter<byte>();
        for (int i = 0; i < frame.SegmentCount; i++)
        {
            wire.Write(frame.GetSegment(i).Span);
        }

        var buffer = new ReadOnlySequence<byte>(wire.WrittenMemory);
        Assert.True(frame.SegmentCount > 1);
        Assert.Equal(FrameReadStatus.Complete, FrameCodec.TryReadFrame(ref buffer, int.MaxValue, out var read, out _));
        Assert.Equal(payload, read.ToArray());
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        Segment last = first;
        foreach (byte[] part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
