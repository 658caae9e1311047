using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Transport;

namespace Mobility.Transport.Tests.Support;

/// <summary>Plain sockets for tests that speak (or break) the protocol by hand.</summary>
internal static class Raw
{
    public static async Task<Socket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).WithDeadline();
        return socket;
    }

    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[FrameCodec.HeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame.AsSpan(FrameCodec.HeaderSize));
        return frame;
    }

    public static byte[] Header(uint announcedLength)
    {
        byte[] header = new byte[FrameCodec.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, announcedLength);
        return header;
    }

    public static async Task SendAllAsync(this Socket socket, byte[] bytes)
    {
        int sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent)).AsTask().WithDeadline();
        }
    }

    /// <summary>
    /// Reads until the other side closes (end of stream or reset) and returns what arrived; fails the test if the
    /// connection is still open at the deadline.
    /// </summary>
    public static async Task<byte[]> ReadUntilClosedAsync(this Socket socket)
    {
        using var deadline = new CancellationTokenSource(Wait.Deadline);
        var received = new MemoryStream();
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    return received.ToArray();
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return received.ToArray();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The server did not close the connection within {Wait.Deadline.TotalSeconds} s.");
        }
    }

    /// <summary>A client that completed a real handshake and now writes whatever bytes the test wants.</summary>
    public static async Task<SocketPipe> AuthenticateAsync(TestServer server, string name)
    {
        Socket socket = await ConnectAsync(server.EndPoint);
        var pipe = new SocketPipe(socket);
        var options = new TransportOptions { NodeName = name, Cookie = TestPeer.Cookie };
        await Handshake.RunClientAsync(pipe, options, ConnectionPurpose.Cluster, "test", NullLogger.Instance, CancellationToken.None).WithDeadline();
        return pipe;
    }

    public static async Task WriteAsync(this SocketPipe pipe, byte[] bytes)
    {
        await pipe.Output.WriteAsync(bytes).AsTask().WithDeadline();
    }

    /// <summary>Reads from an authenticated raw client until the server closes it.</summary>
    public static async Task DrainUntilClosedAsync(this SocketPipe pipe)
    {
        using var deadline = new CancellationTokenSource(Wait.Deadline);
        try
        {
            while (true)
            {
                ReadResult result = await pipe.Input.ReadAsync(deadline.Token);
                pipe.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed as well.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The server did not close the connection within {Wait.Deadline.TotalSeconds} s.");
        }
    }

    /// <summary>
    /// Runs a real client handshake against <paramref name="server"/> and returns every byte the client sent,
    /// as an eavesdropper would have recorded them.
    /// </summary>
    public static async Task<byte[]> RecordClientHandshakeAsync(TestServer server, string name)
    {
        using Socket socket = await ConnectAsync(server.EndPoint);
        using var network = new NetworkStream(socket, ownsSocket: false);
        var recording = new RecordingStream(network);
        var pipe = new DuplexPipe(PipeReader.Create(network), PipeWriter.Create(recording));
        var options = new TransportOptions { NodeName = name, Cookie = TestPeer.Cookie };
        await Handshake.RunClientAsync(pipe, options, ConnectionPurpose.Cluster, "test", NullLogger.Instance, CancellationToken.None).WithDeadline();
        return recording.Written;
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>Passes writes through to a stream and keeps a copy of them.</summary>
    private sealed class RecordingStream(Stream inner) : Stream
    {
        private readonly MemoryStream _copy = new();

        public byte[] Written => _copy.ToArray();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            _copy.Write(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _copy.Write(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
