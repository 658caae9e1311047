using System.Buffers;
using System.Collections.Concurrent;

namespace Mobility.Transport;

/// <summary>
/// The first buffers of a connection's outgoing frames. Senders take them on their threads and the writer loop gives
/// them back on its own: <see cref="ArrayPool{T}.Shared"/>, which caches per thread and per core, ends up allocating
/// a fresh array for nearly every small frame in that pattern; this pool is one lock-free queue shared by both sides.
/// </summary>
internal sealed class SmallBufferPool(int capacity)
{
    /// <summary>The size of the buffers this pool keeps: enough for the header and a typical message (bigger ones grow into more segments).</summary>
    public const int BufferSize = 256;

    private readonly ConcurrentQueue<byte[]> _buffers = new();
    private int _count;

    /// <summary>A buffer of at least <paramref name="minimumLength"/> bytes: one of this pool's if it is small enough.</summary>
    public byte[] Rent(int minimumLength)
    {
        if (minimumLength > BufferSize)
        {
            return ArrayPool<byte>.Shared.Rent(minimumLength);
        }

        if (_buffers.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _count);
            return buffer;
        }

        return new byte[BufferSize];
    }

    /// <summary>Takes a buffer back (one of this pool's size is kept while the pool has room).</summary>
    public void Return(byte[] buffer)
    {
        if (buffer.Length == BufferSize && Interlocked.Increment(ref _count) <= capacity)
        {
            _buffers.Enqueue(buffer);
            return;
        }

        if (buffer.Length == BufferSize)
        {
            Interlocked.Decrement(ref _count);
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }
}
