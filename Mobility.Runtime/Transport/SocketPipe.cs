using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Mobility.Transport;

/// <summary>
/// A connected socket seen as an <see cref="IDuplexPipe"/> (pipelines over a <see cref="NetworkStream"/>, or over
/// an <see cref="SslStream"/> when TLS is configured), owning the socket's life: half-close, abort, dispose.
/// </summary>
internal sealed class SocketPipe : IDuplexPipe, IAsyncDisposable
{
    private const int ReadBufferSize = 64 * 1024;
    private const int WriteBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private int _aborted;
    private int _disposed;

    /// <summary>Wraps a connected socket; the pipe owns it from now on.</summary>
    public SocketPipe(Socket socket)
        : this(socket, new NetworkStream(socket, ownsSocket: true))
    {
    }

    private SocketPipe(Socket socket, Stream stream)
    {
        _socket = socket;
        _socket.NoDelay = true;
        RemoteEndPoint = socket.RemoteEndPoint;
        _stream = stream;
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: 4096, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: WriteBufferSize, leaveOpen: true));
    }

    /// <summary>
    /// Wraps a connected socket in TLS (as the server when <paramref name="server"/>, else as the client of
    /// <paramref name="targetHost"/>); the pipe owns the socket from now on, and disposes it if TLS fails.
    /// </summary>
    /// <exception cref="HandshakeFailedException">TLS could not be established (certificate refused, no TLS on the other side...).</exception>
    public static async Task<SocketPipe> SecureAsync(
        Socket socket, TlsSettings tls, bool server, string targetHost, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (server)
            {
                await ssl.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = tls.ServerCertificate ?? throw new HandshakeFailedException(
                            HandshakeFailure.Refused, "this node accepts TLS connections but has no server certificate (MobilityOptions.Tls.ServerCertificate)"),
                        ClientCertificateRequired = tls.RequireClientCertificate,
                        RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                            certificate is null ? !tls.RequireClientCertificate : tls.Validate(certificate, chain, errors),
                    },
                    deadline.Token).ConfigureAwait(false);
            }
            else
            {
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = targetHost,
                        ClientCertificates = tls.ClientCertificate is null ? null : [tls.ClientCertificate],
                        RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                            certificate is not null && tls.Validate(certificate, chain, errors),
                    },
                    deadline.Token).ConfigureAwait(false);
            }

            return new SocketPipe(socket, ssl);
        }
        catch (Exception exception) when (exception is AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new HandshakeFailedException(
                exception is OperationCanceledException ? HandshakeFailure.Timeout : HandshakeFailure.Refused,
                $"TLS could not be established: {exception.Message}",
                innerException: exception);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The peer's address, captured when the pipe was created.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The peer's address as text, for logs.</summary>
    public string RemoteDescription => RemoteEndPoint?.ToString() ?? "an unknown address";

    /// <inheritdoc />
    public PipeReader Input { get; }

    /// <inheritdoc />
    public PipeWriter Output { get; }

    /// <summary>
    /// Writes <paramref name="bytes"/> to the connection directly, bypassing <see cref="Output"/>'s buffers (one copy
    /// less for large frames). Flush <see cref="Output"/> first, so the bytes stay in order.
    /// </summary>
    public ValueTask WriteDirectAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        _stream.WriteAsync(bytes, cancellationToken);

    /// <summary>
    /// Reads from the connection directly into <paramref name="destination"/>, bypassing <see cref="Input"/>'s buffers
    /// (one copy less for large frames), until it is full or the stream ends. Only while <see cref="Input"/> holds
    /// nothing unconsumed and has no read pending, so the bytes stay in order.
    /// </summary>
    /// <returns>How many bytes were read: less than the destination's length only if the stream ended.</returns>
    public ValueTask<int> ReadDirectAsync(Memory<byte> destination, CancellationToken cancellationToken) =>
        _stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken);

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
