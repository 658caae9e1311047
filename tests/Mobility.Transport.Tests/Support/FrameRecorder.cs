using System.Buffers;
using System.Collections.Concurrent;

namespace Mobility.Transport.Tests.Support;

/// <summary>A frame handler that copies every frame it receives, with the name of the node it came from.</summary>
internal sealed class FrameRecorder
{
    private readonly ConcurrentQueue<ReceivedFrame> _frames = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyCollection<ReceivedFrame> Frames => _frames;

    public ValueTask Record(PeerConnection connection, ReadOnlySequence<byte> payload)
    {
        _frames.Enqueue(new ReceivedFrame(connection.RemoteNodeName, payload.ToArray()));
        Interlocked.Increment(ref _count);
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<byte[]> From(string node) => [.. _frames.Where(frame => frame.From == node).Select(frame => frame.Payload)];

    public Task WaitForCountAsync(int count) => Wait.UntilAsync(() => Count >= count, $"{count} frames (got {Count})");

    internal sealed record ReceivedFrame(string From, byte[] Payload);
}
