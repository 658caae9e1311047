using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Mobility.Transport;

/// <summary>
/// A connected socket seen as an <see cref="IDuplexPipe"/> (pipelines over a <see cref="NetworkStream"/>),
/// owning the socket's life: half-close, abort, dispose.
/// </summary>
internal sealed class SocketPipe : IDuplexPipe, IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private const int WriteBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _aborted;
    private int _disposed;

    /// <summary>Wraps a connected socket; the pipe owns it from now on.</summary>
    public SocketPipe(Socket socket)
    {
        _socket = socket;
        _socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: WriteBufferSize, leaveOpen: true));
    }

    /// <summary>The peer's address, captured when the pipe was created.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The peer's address as text, for logs.</summary>
    public string RemoteDescription => RemoteEndPoint?.ToString() ?? "an unknown address";

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <summary>Tells the peer we send nothing more (TCP FIN); receiving goes on. Never throws.</summary>
    public void ShutdownSend()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed or reset: nothing left to tell the peer.
        }
    }

    /// <summary>
    /// Closes the socket at once, so that pending reads and writes fail and the peer sees the connection end.
    /// Safe to call from any thread, any number of times. The pipes still need <see cref="DisposeAsync"/>.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            _stream.Dispose();
        }
    }

    /// <summary>
    /// Completes both pipes and closes the socket. Call once nobody reads or writes the pipes any more.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Abort();
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Completing with an error releases the buffers without flushing them to the closed stream.
            await Output.CompleteAsync(new ObjectDisposedException(nameof(SocketPipe))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The socket is gone; whatever was not flushed is dropped with it.
        }
    }
}
