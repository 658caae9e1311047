using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Mobility.Transport;

/// <summary>
/// Accepts inbound connections on one endpoint, authenticates each with the server side of the
/// <see cref="Handshake"/>, and hands every authenticated <see cref="PeerConnection"/> to the node.
/// </summary>
/// <remarks>
/// At most <see cref="TransportOptions.MaxConnections"/> inbound connections (handshaking or authenticated) are held;
/// beyond that a new socket is closed as soon as it is accepted, with a log line. A failing, slow or hostile
/// connection costs only itself: the accept loop goes on. <see cref="StopAsync"/> stops accepting and closes every
/// connection this listener accepted.
/// </remarks>
internal sealed class ConnectionListener : IAsyncDisposable
{
    private readonly IPEndPoint _endPoint;
    private readonly TransportOptions _options;
    private readonly Func<string, ConnectionPurpose, string?> _accept;
    private readonly Func<PeerConnection, ValueTask> _onConnected;
    private readonly Func<PeerConnection, ReadOnlySequence<byte>, ValueTask> _onFrame;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<PeerConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<Task, byte> _handlers = new();
    private readonly Lock _gate = new();
    private Socket? _socket;
    private IPEndPoint? _localEndPoint;
    private Task _acceptLoop = Task.CompletedTask;
    private Task? _stopped;
    private int _connectionCount;

    /// <summary>Prepares a listener; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="endPoint">Where to listen; port 0 picks a free port (see <see cref="LocalEndPoint"/>).</param>
    /// <param name="options">This node's transport settings (validated here).</param>
    /// <param name="accept">
    /// Called during each handshake, once the peer proved it knows the cookie, with its node name and purpose;
    /// returns <see langword="null"/> to accept, or the reason to refuse (sent to the peer and logged).
    /// </param>
    /// <param name="onConnected">
    /// Called with each authenticated connection before its frames flow; a throw closes that connection.
    /// </param>
    /// <param name="onFrame">The frame handler every accepted connection starts with (see <see cref="PeerConnection.Start"/>).</param>
    public ConnectionListener(
        IPEndPoint endPoint,
        TransportOptions options,
        Func<string, ConnectionPurpose, string?> accept,
        Func<PeerConnection, ValueTask> onConnected,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask> onFrame)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(accept);
        ArgumentNullException.ThrowIfNull(onConnected);
        ArgumentNullException.ThrowIfNull(onFrame);
        options.Validate();
        _endPoint = endPoint;
        _options = options;
        _accept = accept;
        _onConnected = onConnected;
        _onFrame = onFrame;
        _logger = options.LoggerFactory.CreateLogger(TransportLog.Category);
    }

    /// <summary>The endpoint actually bound (with the real port when 0 was asked for); still readable after stopping.</summary>
    /// <exception cref="InvalidOperationException">The listener was never started.</exception>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The listener is not started.");

    /// <summary>How many inbound connections (handshaking or authenticated) the listener holds now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>The authenticated connections this listener holds now.</summary>
    public IReadOnlyCollection<PeerConnection> Connections => [.. _connections.Keys];

    /// <summary>Binds, listens and starts accepting.</summary>
    /// <exception cref="SocketException">The endpoint cannot be bound (for example, the port is in use).</exception>
    /// <exception cref="InvalidOperationException">The listener was already started or stopped.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_socket is not null || _stopped is not null)
            {
                throw new InvalidOperationException("The listener was already started.");
            }

            var socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(_endPoint);
                socket.Listen(512);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            _socket = socket;
            _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            TransportLog.Listening(_logger, _options.NodeName, LocalEndPoint);
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }
    }

    /// <summary>
    /// Stops accepting, cancels the handshakes in progress, closes every connection this listener accepted and
    /// waits until they are closed. Safe to call more than once.
    /// </summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        await Task.WhenAll(_connections.Keys.Select(connection => connection.CloseAsync("the listener stopped"))).ConfigureAwait(false);
        await Task.WhenAll(_handlers.Keys).ConfigureAwait(false);
        if (_localEndPoint is not null)
        {
            TransportLog.ListenerStopped(_logger, _options.NodeName, _localEndPoint);
        }
    }

    private async Task AcceptLoopAsync()
    {
        Socket listener = _socket!;
        IPEndPoint bound = LocalEndPoint;
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not ObjectDisposedException)
            {
                // For example a connection reset before it was accepted, or out of file descriptors:
                // log, give the system a moment, and go on accepting.
                TransportLog.AcceptFailed(_logger, bound, e);
                await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (Interlocked.Increment(ref _connectionCount) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _connectionCount);
                TransportLog.ConnectionLimitReached(_logger, socket.RemoteEndPoint?.ToString() ?? "an unknown address", _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            Task handler = HandleAsync(socket);
            _handlers.TryAdd(handler, 0);
            _ = handler.ContinueWith(
                static (task, handlers) => ((ConcurrentDictionary<Task, byte>)handlers!).TryRemove(task, out _),
                _handlers,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        await Task.Yield();
        SocketPipe? pipe = null;
        PeerConnection? connection = null;
        string peer = "an unknown address";
        try
        {
            peer = socket.RemoteEndPoint?.ToString() ?? peer;
            try
            {
                pipe = _options.Tls is { } tls
                    ? await SocketPipe.SecureAsync(socket, tls, server: true, string.Empty, _options.HandshakeTimeout, _stopping.Token).ConfigureAwait(false)
                    : new SocketPipe(socket);
            }
            catch (HandshakeFailedException exception)
            {
                TransportLog.TlsFailed(_logger, peer, exception.Message);
                return; // SecureAsync closed the socket
            }

            peer = pipe.RemoteDescription;
            HandshakeResult result;
            try
            {
                result = await Handshake.RunServerAsync(pipe, _options, _accept, peer, _logger, _stopping.Token).ConfigureAwait(false);
            }
            catch (HandshakeFailedException)
            {
                // Logged by the handshake, and the peer was told when it could be.
                pipe.ShutdownSend();
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_options.Faults?.RefusalReason(_options.NodeName, result.RemoteNodeName) is { } partitioned)
            {
                TransportLog.FaultRefused(_logger, result.RemoteNodeName, peer, partitioned);
                pipe.ShutdownSend(); // the handshake's last message still reaches the dialer, which refuses too
                return;
            }

            connection = new PeerConnection(pipe, result, _options, _logger);
            pipe = null;
            _connections.TryAdd(connection, 0);
            if (_stopping.IsCancellationRequested)
            {
                await connection.CloseAsync("the listener stopped").ConfigureAwait(false);
                return;
            }

            try
            {
                await _onConnected(connection).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                TransportLog.OnConnectedFailed(_logger, connection.RemoteNodeName, peer, e);
                connection.Abort($"the node could not take the connection: {e.GetType().Name}: {e.Message}", failure: true);
                await connection.Completion.ConfigureAwait(false);
                return;
            }

            connection.Start(_onFrame);
            await connection.Completion.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            TransportLog.ConnectionHandlingFailed(_logger, peer, e);
            connection?.Abort($"the listener failed while handling it: {e.Message}", failure: true);
        }
        finally
        {
            if (pipe is not null)
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
            }
            else if (connection is null)
            {
                socket.Dispose();
            }

            if (connection is not null)
            {
                await connection.Completion.ConfigureAwait(false);
                _connections.TryRemove(connection, out _);
            }

            Interlocked.Decrement(ref _connectionCount);
        }
    }
}
