using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Mobility.Transport;

/// <summary>Opens outbound connections: TCP connect, client handshake, started <see cref="PeerConnection"/>.</summary>
internal static class TransportConnector
{
    /// <summary>
    /// Connects to <paramref name="endPoint"/>, authenticates with the client side of the <see cref="Handshake"/>,
    /// and returns the connection, started with <paramref name="onFrame"/>.
    /// </summary>
    /// <param name="endPoint">An <see cref="IPEndPoint"/> or a <see cref="DnsEndPoint"/>.</param>
    /// <param name="options">This node's transport settings (validated here).</param>
    /// <param name="purpose">Why this node connects.</param>
    /// <param name="onFrame">The connection's frame handler (see <see cref="PeerConnection.Start"/>).</param>
    /// <param name="cancellationToken">Cancels connecting and the handshake.</param>
    /// <exception cref="PeerUnreachableException">No TCP connection within <see cref="TransportOptions.ConnectTimeout"/> (the socket error is the inner exception), or injected faults partition the two nodes (tests).</exception>
    /// <exception cref="HandshakeFailedException">The peer could not be authenticated or refused us (see <see cref="HandshakeFailedException.Failure"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PeerConnection> ConnectAsync(
        EndPoint endPoint,
        TransportOptions options,
        ConnectionPurpose purpose,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask> onFrame,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onFrame);
        options.Validate();
        ILogger logger = options.LoggerFactory.CreateLogger(TransportLog.Category);
        string target = Describe(endPoint);

        Socket socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        SocketPipe? pipe = null;
        PeerConnection? connection = null;
        try
        {
            await ConnectSocketAsync(socket, endPoint, target, options, logger, cancellationToken).ConfigureAwait(false);
            pipe = options.Tls is { } tls
                ? await SocketPipe.SecureAsync(socket, tls, server: false, TlsHost(endPoint), options.HandshakeTimeout, cancellationToken).ConfigureAwait(false)
                : new SocketPipe(socket);
            HandshakeResult result = await Handshake.RunClientAsync(pipe, options, purpose, target, logger, cancellationToken).ConfigureAwait(false);
            if (options.Faults?.RefusalReason(options.NodeName, result.RemoteNodeName) is { } partitioned)
            {
                TransportLog.FaultRefused(logger, result.RemoteNodeName, target, partitioned);
                throw new PeerUnreachableException(target, partitioned);
            }

            connection = new PeerConnection(pipe, result, options, logger);
            connection.Start(onFrame);
            return connection;
        }
        finally
        {
            // Until a started connection owns the socket, whatever was created here is closed on the way out.
            if (connection is null)
            {
                if (pipe is not null)
                {
                    await pipe.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    socket.Dispose();
                }
            }
        }
    }

    /// <summary>The name the server's certificate must carry: the host dialled, or its address.</summary>
    private static string TlsHost(EndPoint endPoint) => endPoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endPoint.ToString() ?? string.Empty,
    };

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>; see the <see cref="EndPoint"/> overload.</summary>
    public static Task<PeerConnection> ConnectAsync(
        string host,
        int port,
        TransportOptions options,
        ConnectionPurpose purpose,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask> onFrame,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return ConnectAsync(new DnsEndPoint(host, port), options, purpose, onFrame, cancellationToken);
    }

    private static async Task ConnectSocketAsync(Socket socket, EndPoint endPoint, string target, TransportOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            string reason = $"no connection within {options.ConnectTimeout.TotalSeconds:0.###} s";
            TransportLog.ConnectFailed(logger, target, reason);
            throw new PeerUnreachableException(target, reason, e);
        }
        catch (SocketException e)
        {
            string reason = $"{e.SocketErrorCode} ({e.Message})";
            TransportLog.ConnectFailed(logger, target, reason);
            throw new PeerUnreachableException(target, reason, e);
        }
    }

    private static string Describe(EndPoint endPoint) => endPoint is DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : endPoint.ToString() ?? "an unknown address";
}
