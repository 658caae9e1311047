using System.Buffers;

namespace Mobility.Transport;

/// <summary>
/// One frame being built for sending: its length header and payload, in segments rented from
/// <see cref="ArrayPool{T}.Shared"/> (the first one from the connection's <see cref="SmallBufferPool"/> when given). The sender writes the payload through <see cref="IBufferWriter{T}"/>
/// (MemoryPack serializes straight into it); <see cref="Complete"/> fills in the header; the connection's
/// writer loop copies <see cref="GetSegment"/> into the socket pipe and then <see cref="Dispose"/>s the frame.
/// </summary>
/// <remarks>Not thread-safe: one sender builds it, then one writer loop consumes it.</remarks>
internal sealed class OutgoingFrame : IBufferWriter<byte>, IDisposable
{
    private const int FirstSegmentSize = SmallBufferPool.BufferSize;
    private const int MaxSegmentSize = 1024 * 1024;

    private readonly int _maxPayloadLength;
    private readonly SmallBufferPool? _pool;
    private readonly byte[] _first;
    private List<ArraySegment<byte>>? _filled;
    private byte[]? _current;
    private int _currentCount;
    private long _payloadLength;

    /// <summary>Creates an empty frame whose payload may not exceed <paramref name="maxPayloadLength"/> bytes.</summary>
    /// <param name="maxPayloadLength">The largest payload allowed.</param>
    /// <param name="sizeHint">The expected payload length, when known, to size the first segment.</param>
    /// <param name="pool">Where the first segment comes from and goes back to, if not <see cref="ArrayPool{T}.Shared"/>.</param>
    public OutgoingFrame(int maxPayloadLength, int sizeHint = 0, SmallBufferPool? pool = null)
    {
        _maxPayloadLength = maxPayloadLength;
        _pool = pool;
        int firstSize = Math.Clamp(FrameCodec.HeaderSize + Math.Max(sizeHint, 0), FirstSegmentSize, MaxSegmentSize);
        _first = pool?.Rent(firstSize) ?? ArrayPool<byte>.Shared.Rent(firstSize);
        _current = _first;
        _currentCount = FrameCodec.HeaderSize;
    }

    /// <summary>The payload length written so far.</summary>
    public long PayloadLength => _payloadLength;

    /// <summary>The frame's length on the wire: header plus payload.</summary>
    public long FrameLength => FrameCodec.HeaderSize + _payloadLength;

    /// <summary>How many segments <see cref="GetSegment"/> serves, once the frame is complete.</summary>
    public int SegmentCount => (_filled?.Count ?? 0) + 1;

    /// <inheritdoc />
    public void Advance(int count)
    {
        byte[] current = CurrentOrThrow();
        if (count < 0 || _currentCount + count > current.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the end of the buffer handed out by GetMemory/GetSpan.");
        }

        _currentCount += count;
        _payloadLength += count;
        if (_payloadLength > _maxPayloadLength)
        {
            throw new InvalidOperationException($"The frame payload reached {_payloadLength} bytes, more than the maximum frame size of {_maxPayloadLength} bytes; nothing was sent.");
        }
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        byte[] current = Ensure(sizeHint);
        return current.AsMemory(_currentCount);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        byte[] current = Ensure(sizeHint);
        return current.AsSpan(_currentCount);
    }

    /// <summary>Writes the length header; call once, after the whole payload is written.</summary>
    public void Complete()
    {
        CurrentOrThrow();
        FrameCodec.WriteHeader(_first, checked((int)_payloadLength));
    }

    /// <summary>The bytes of segment <paramref name="index"/>, in wire order; the first starts with the header.</summary>
    public ReadOnlyMemory<byte> GetSegment(int index)
    {
        int filled = _filled?.Count ?? 0;
        if (index < filled)
        {
            return _filled![index];
        }

        if (index != filled)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return CurrentOrThrow().AsMemory(0, _currentCount);
    }

    /// <summary>Returns every segment to the pool. The frame cannot be used afterwards; a second call does nothing.</summary>
    public void Dispose()
    {
        if (_current is null)
        {
            return;
        }

        if (_filled is not null)
        {
            foreach (ArraySegment<byte> segment in _filled)
            {
                Return(segment.Array!);
            }

            _filled = null;
        }

        Return(_current);
        _current = null;
    }

    private byte[] Ensure(int sizeHint)
    {
        byte[] current = CurrentOrThrow();
        int needed = Math.Max(sizeHint, 1);
        if (current.Length - _currentCount >= needed)
        {
            return current;
        }

        if (_currentCount > 0)
        {
            (_filled ??= []).Add(new ArraySegment<byte>(current, 0, _currentCount));
        }
        else
        {
            Return(current);
        }

        int size = Math.Max(needed, Math.Min(current.Length * 2, MaxSegmentSize));
        _current = ArrayPool<byte>.Shared.Rent(size);
        _currentCount = 0;
        return _current;
    }

    private void Return(byte[] buffer)
    {
        if (_pool is not null && ReferenceEquals(buffer, _first))
        {
            _pool.Return(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] CurrentOrThrow() => _current ?? throw new ObjectDisposedException(nameof(OutgoingFrame));
}
