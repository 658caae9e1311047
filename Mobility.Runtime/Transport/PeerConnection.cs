using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mobility.Transport.Faults;

namespace Mobility.Transport;

/// <summary>
/// One authenticated connection to a peer node: an ordered stream of frames each way.
/// </summary>
/// <remarks>
/// <para>
/// <b>Receiving.</b> After <see cref="Start"/>, a receive loop hands each frame's payload to the frame handler,
/// strictly in order and one at a time (the next frame waits until the handler's task completes). The payload
/// is valid only until that task completes: copy or deserialize it, do not keep it.
/// </para>
/// <para>
/// <b>Sending.</b> <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> and
/// <see cref="SendAsync{TState}(TState, Action{TState, IBufferWriter{byte}}, CancellationToken)"/> may be called from
/// any thread. The payload is captured (copied, or written by the caller's delegate) into pooled buffers before the
/// call returns, so the caller may reuse its memory at once; then the frame joins a bounded queue. One writer loop
/// drains the queue into the socket and flushes once per batch. Frames leave in the order their sends were
/// accepted, so one sender's frames keep their order. When the queue is full, senders wait (backpressure). A send
/// completing means the frame was queued, not that the peer received it.
/// </para>
/// <para>
/// <b>Closing.</b> Any I/O error, end of stream, oversized or truncated frame, or a frame handler that throws,
/// closes the connection with a logged reason; nothing is thrown at anyone. <see cref="CloseAsync"/> closes it
/// on purpose, after the frames already queued are written (within <see cref="TransportOptions.CloseTimeout"/>).
/// <see cref="Completion"/> completes (never faults) once the connection is fully closed, and
/// <see cref="CloseReason"/> says why.
/// </para>
/// <para>
/// <b>Faults.</b> When <see cref="TransportOptions.Faults"/> is set (tests only), each frame first passes the faults of
/// its direction, peer to this node (<see cref="Faults.FaultyLink"/>): it may wait there, in order, or cut the connection.
/// Without an injector this costs one null check per frame.
/// </para>
/// <para>
/// A frame handler must not wait for backpressure of a connection whose peer may be waiting for it in turn:
/// if both nodes' handlers block on full send queues towards each other, neither reads again.
/// </para>
/// </remarks>
internal sealed class PeerConnection : IAsyncDisposable
{
    /// <summary>Unflushed bytes after which the writer loop flushes even in the middle of a batch.</summary>
    private const long FlushThreshold = 256 * 1024;

    /// <summary>
    /// Payload length from which a frame that is not buffered yet is read straight from the socket into one pooled
    /// array (a migrating state), instead of through the pipe's small segments and a copy to make it contiguous.
    /// </summary>
    private const int LargeFrameThreshold = 128 * 1024;

    /// <summary>Set, for the whole receive loop, to the connection whose frame handler is running.</summary>
    private static readonly AsyncLocal<PeerConnection?> ReceivingConnection = new();

    private readonly SocketPipe _pipe;
    private readonly TransportOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<OutgoingFrame> _sendQueue;
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _sendLoopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _socketClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Lock _sendOrder = new(); // SendInOrderAsync: write and queue in one step
    private readonly SmallBufferPool _smallBuffers;
    private readonly FaultyLink? _inbound; // tests only: the injected faults of the direction peer -> this node
    private Func<PeerConnection, ReadOnlySequence<byte>, ValueTask>? _onFrame;
    private State _state;
    private string? _closeReason;
    private int _socketAborted;
    private long _flushCount;

    /// <summary>Wraps a connection that completed its handshake. Nothing runs until <see cref="Start"/>.</summary>
    /// <param name="pipe">The connection; the <see cref="PeerConnection"/> owns it from now on.</param>
    /// <param name="peer">What the handshake established about the peer.</param>
    /// <param name="options">This node's transport settings.</param>
    /// <param name="logger">Where the connection logs.</param>
    public PeerConnection(SocketPipe pipe, HandshakeResult peer, TransportOptions options, ILogger logger)
    {
        _pipe = pipe;
        _options = options;
        _logger = logger;
        _smallBuffers = new SmallBufferPool(options.SendQueueCapacity);
        RemoteNodeName = peer.RemoteNodeName;
        Purpose = peer.Purpose;
        _inbound = options.Faults?.Link(peer.RemoteNodeName, options.NodeName);
        _sendQueue = Channel.CreateBounded<OutgoingFrame>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _inbound?.Attach(this); // from now on a test can abort it, started or not; CleanupAsync detaches it
    }

    private enum State
    {
        Created,
        Running,
        Closed,
    }

    /// <summary>The name the peer node authenticated with.</summary>
    public string RemoteNodeName { get; }

    /// <summary>Why the client opened this connection.</summary>
    public ConnectionPurpose Purpose { get; }

    /// <summary>The peer's address.</summary>
    public EndPoint? RemoteEndPoint => _pipe.RemoteEndPoint;

    /// <summary>Completes (never faults) once the connection is closed and both its loops have ended.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the connection closed or is closing; <see langword="null"/> while it is open.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>How many times the writer loop flushed to the socket (diagnostics and tests).</summary>
    internal long FlushCount => Interlocked.Read(ref _flushCount);

    /// <summary>
    /// Starts the receive and send loops. Frames are handed to <paramref name="onFrame"/> one at a time, in order;
    /// a handler that throws closes the connection. Does nothing if the connection was closed before it started.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection was already started.</exception>
    public void Start(Func<PeerConnection, ReadOnlySequence<byte>, ValueTask> onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        lock (_gate)
        {
            if (_state == State.Running)
            {
                throw new InvalidOperationException($"The connection to node '{RemoteNodeName}' is already started.");
            }

            if (_state == State.Closed)
            {
                return;
            }

            _state = State.Running;
            _onFrame = onFrame;
        }

        _ = RunAsync();
    }

    /// <summary>
    /// Queues a frame whose payload is a copy of <paramref name="payload"/> (the caller may reuse its memory as
    /// soon as this returns). Waits while the send queue is full.
    /// </summary>
    /// <exception cref="ConnectionClosedException">The connection is closed or closing.</exception>
    /// <exception cref="InvalidOperationException">The payload is larger than <see cref="TransportOptions.MaxFrameSize"/>.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (payload.Length > _options.MaxFrameSize)
        {
            return ValueTask.FromException(new InvalidOperationException(
                $"A frame of {payload.Length} bytes is larger than the maximum frame size of {_options.MaxFrameSize} bytes; nothing was sent."));
        }

        return SendCoreAsync(payload, static (bytes, writer) => writer.Write(bytes.Span), payload.Length, cancellationToken);
    }

    /// <summary>
    /// Queues a frame whose payload <paramref name="write"/> writes into an <see cref="IBufferWriter{T}"/> backed by
    /// pooled buffers (for example <c>MemoryPackSerializer.Serialize(writer, message)</c>): no intermediate array.
    /// <paramref name="write"/> runs on the calling thread before this method returns, so <paramref name="state"/>
    /// needs to stay valid only for the call. If it throws, nothing is sent, the connection is unaffected and the
    /// exception is returned through the task. Waits while the send queue is full.
    /// </summary>
    /// <exception cref="ConnectionClosedException">The connection is closed or closing.</exception>
    /// <exception cref="InvalidOperationException">The payload grew larger than <see cref="TransportOptions.MaxFrameSize"/>.</exception>
    public ValueTask SendAsync<TState>(TState state, Action<TState, IBufferWriter<byte>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return SendCoreAsync(state, write, 0, cancellationToken);
    }

    /// <summary>
    /// As <see cref="SendAsync{TState}(TState, Action{TState, IBufferWriter{byte}}, CancellationToken)"/>, and frames
    /// sent this way are queued in the order their <paramref name="write"/> ran (even those that wait for room in the
    /// queue), so what <paramref name="write"/> decides, such as a sequence number, follows the order of the wire.
    /// Calls are serialized: keep <paramref name="write"/> short.
    /// </summary>
    /// <exception cref="ConnectionClosedException">The connection is closed or closing.</exception>
    /// <exception cref="InvalidOperationException">The payload grew larger than <see cref="TransportOptions.MaxFrameSize"/>.</exception>
    public ValueTask SendInOrderAsync<TState>(TState state, Action<TState, IBufferWriter<byte>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        OutgoingFrame frame;
        ValueTask queued;
        lock (_sendOrder)
        {
            if (CloseReason is { } reason)
            {
                return ValueTask.FromException(new ConnectionClosedException(RemoteNodeName, reason));
            }

            frame = new OutgoingFrame(_options.MaxFrameSize, 0, _smallBuffers);
            if (Fill(frame, state, write) is { } failure)
            {
                return ValueTask.FromException(failure);
            }

            // A bounded channel serves writers waiting for room in the order they came, so the order holds for them too.
            queued = _sendQueue.Writer.WriteAsync(frame, cancellationToken);
        }

        return queued.IsCompletedSuccessfully ? ValueTask.CompletedTask : AwaitQueuedAsync(queued, frame);
    }

    /// <summary>
    /// Closes the connection on purpose: no more frames are delivered or accepted, frames already queued are
    /// written (for at most <see cref="TransportOptions.CloseTimeout"/>), then the socket closes. The first reason
    /// given (here or by a failure) is the <see cref="CloseReason"/>; later calls only wait.
    /// </summary>
    /// <returns>
    /// A task that completes with <see cref="Completion"/>; when called from this connection's own frame handler,
    /// one that completes once the socket is closed (the receive loop can only end after the handler returns).
    /// </returns>
    public Task CloseAsync(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (TrySetCloseReason(reason, failure: false, exception: null))
        {
            bool neverStarted;
            lock (_gate)
            {
                neverStarted = _state == State.Created;
                _state = State.Closed;
            }

            if (neverStarted)
            {
                _sendQueue.Writer.TryComplete();
                _sendLoopDone.TrySetResult();
                CloseSocket();
                _ = CleanupAsync();
            }
            else
            {
                _ = ShutdownGracefullyAsync();
            }
        }

        return ReceivingConnection.Value == this ? _socketClosed.Task : Completion;
    }

    /// <summary>Closes the connection (see <see cref="CloseAsync"/>) and waits until it is closed.</summary>
    public async ValueTask DisposeAsync() => await CloseAsync("the connection was disposed").ConfigureAwait(false);

    /// <summary>
    /// Closes the connection at once because something went wrong: queued frames are dropped. The first reason
    /// given is kept and logged (as a warning when <paramref name="failure"/> is set).
    /// </summary>
    internal void Abort(string reason, bool failure, Exception? exception = null)
    {
        TrySetCloseReason(reason, failure, exception);
        bool neverStarted;
        lock (_gate)
        {
            neverStarted = _state == State.Created;
            _state = State.Closed;
        }

        _sendQueue.Writer.TryComplete();
        CloseSocket();
        if (neverStarted)
        {
            _sendLoopDone.TrySetResult();
            _ = CleanupAsync();
        }
    }

    private ValueTask SendCoreAsync<TState>(TState state, Action<TState, IBufferWriter<byte>> write, int sizeHint, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (CloseReason is { } reason)
        {
            return ValueTask.FromException(new ConnectionClosedException(RemoteNodeName, reason));
        }

        var frame = new OutgoingFrame(_options.MaxFrameSize, sizeHint, _smallBuffers);
        if (Fill(frame, state, write) is { } failure)
        {
            return ValueTask.FromException(failure);
        }

        return _sendQueue.Writer.TryWrite(frame) ? ValueTask.CompletedTask : EnqueueAsync(frame, cancellationToken);
    }

    /// <summary>Writes a frame's payload; if that fails, the frame is released and the failure returned (nothing is sent).</summary>
    private static Exception? Fill<TState>(OutgoingFrame frame, TState state, Action<TState, IBufferWriter<byte>> write)
    {
        try
        {
            write(state, frame);
            frame.Complete();
            return null;
        }
        catch (Exception e)
        {
            frame.Dispose();
            return e;
        }
    }

    private ValueTask EnqueueAsync(OutgoingFrame frame, CancellationToken cancellationToken) =>
        AwaitQueuedAsync(_sendQueue.Writer.WriteAsync(frame, cancellationToken), frame);

    private async ValueTask AwaitQueuedAsync(ValueTask queued, OutgoingFrame frame)
    {
        try
        {
            await queued.ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            frame.Dispose();
            throw new ConnectionClosedException(RemoteNodeName, CloseReason ?? "the connection is closing");
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private async Task RunAsync()
    {
        Task receiving = Task.Run(ReceiveLoopAsync);
        Task sending = Task.Run(SendLoopAsync);
        await Task.WhenAll(receiving, sending).ConfigureAwait(false);
        await CleanupAsync().ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        ReceivingConnection.Value = this;
        PipeReader input = _pipe.Input;
        CancellationToken stopping = _stopReceiving.Token;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(stopping).ConfigureAwait(false);
                long receivedAt = _inbound is null ? 0 : _inbound.Timestamp();
                ReadOnlySequence<byte> buffer = result.Buffer;
                FrameReadStatus status;
                long announced;
                while ((status = FrameCodec.TryReadFrame(ref buffer, _options.MaxFrameSize, out ReadOnlySequence<byte> payload, out announced)) == FrameReadStatus.Complete)
                {
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    if (_inbound is not null && !await _inbound.AdmitAsync(this, FrameCodec.HeaderSize + payload.Length, receivedAt, stopping).ConfigureAwait(false))
                    {
                        return;
                    }

                    try
                    {
                        await _onFrame!(this, payload).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        TransportLog.FrameHandlerFailed(_logger, RemoteNodeName, _pipe.RemoteDescription, e);
                        Abort($"the frame handler failed: {e.GetType().Name}: {e.Message}", failure: true);
                        return;
                    }
                }

                if (status == FrameReadStatus.TooLarge)
                {
                    Abort($"the peer announced a frame of {announced} bytes, more than the maximum frame size of {_options.MaxFrameSize} bytes", failure: true);
                    return;
                }

                if (announced >= LargeFrameThreshold)
                {
                    // What is buffered is the start of this frame and nothing else: the rest comes straight from the socket.
                    if (!await ReceiveLargeFrameAsync(input, buffer, (int)announced, stopping).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (buffer.IsEmpty)
                    {
                        Abort("the remote node closed the connection", failure: false);
                    }
                    else
                    {
                        Abort($"the remote node closed the connection in the middle of a frame: {FrameCodec.DescribeTruncation(buffer.Length, announced)}", failure: true);
                    }

                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Closing: no more frames are delivered.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Abort($"receiving failed: {e.Message}", failure: true, e);
        }
        catch (Exception e)
        {
            Abort($"the receive loop failed unexpectedly: {e.GetType().Name}: {e.Message}", failure: true, e);
        }
    }

    /// <summary>
    /// Receives a large frame into one pooled array and hands it to the frame handler as one contiguous payload:
    /// <paramref name="buffered"/>, all that <paramref name="input"/> holds, is its start (header included); it is
    /// copied and consumed, and the rest is read straight from the socket.
    /// </summary>
    /// <returns>False if the connection closed or the handler failed (the connection is then aborted).</returns>
    private async Task<bool> ReceiveLargeFrameAsync(PipeReader input, ReadOnlySequence<byte> buffered, int payloadLength, CancellationToken stopping)
    {
        byte[] payload = ArrayPool<byte>.Shared.Rent(payloadLength);
        try
        {
            var start = buffered.Slice(FrameCodec.HeaderSize);
            start.CopyTo(payload);
            int received = (int)start.Length;
            input.AdvanceTo(buffered.End);
            received += await _pipe.ReadDirectAsync(payload.AsMemory(received, payloadLength - received), stopping).ConfigureAwait(false);
            if (received < payloadLength)
            {
                Abort($"the remote node closed the connection in the middle of a frame: {FrameCodec.DescribeTruncation(FrameCodec.HeaderSize + received, payloadLength)}", failure: true);
                return false;
            }

            if (stopping.IsCancellationRequested)
            {
                return false;
            }

            if (_inbound is not null && !await _inbound.AdmitAsync(this, FrameCodec.HeaderSize + payloadLength, _inbound.Timestamp(), stopping).ConfigureAwait(false))
            {
                return false;
            }

            try
            {
                await _onFrame!(this, new ReadOnlySequence<byte>(payload, 0, payloadLength)).ConfigureAwait(false);
                return true;
            }
            catch (Exception e)
            {
                TransportLog.FrameHandlerFailed(_logger, RemoteNodeName, _pipe.RemoteDescription, e);
                Abort($"the frame handler failed: {e.GetType().Name}: {e.Message}", failure: true);
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private async Task SendLoopAsync()
    {
        ChannelReader<OutgoingFrame> queue = _sendQueue.Reader;
        PipeWriter output = _pipe.Output;
        CancellationToken aborting = _abort.Token;
        try
        {
            while (await queue.WaitToReadAsync(aborting).ConfigureAwait(false))
            {
                long unflushed = 0;
                while (queue.TryRead(out OutgoingFrame? frame))
                {
                    try
                    {
                        for (int i = 0; i < frame.SegmentCount; i++)
                        {
                            ReadOnlyMemory<byte> rest = frame.GetSegment(i);
                            if (rest.Length >= FlushThreshold)
                            {
                                // A large segment (part of a migrating state) goes to the socket as it is, not copied
                                // through the pipe's buffers; what the pipe holds goes first.
                                if (unflushed > 0 && !await FlushAsync(output, aborting).ConfigureAwait(false))
                                {
                                    return;
                                }

                                unflushed = 0;
                                await _pipe.WriteDirectAsync(rest, aborting).ConfigureAwait(false);
                                continue;
                            }

                            // Smaller segments are batched through the pipe, flushed at the threshold.
                            while (!rest.IsEmpty)
                            {
                                int slice = (int)Math.Min(rest.Length, FlushThreshold - unflushed);
                                output.Write(rest.Span[..slice]);
                                rest = rest[slice..];
                                unflushed += slice;
                                if (unflushed >= FlushThreshold)
                                {
                                    if (!await FlushAsync(output, aborting).ConfigureAwait(false))
                                    {
                                        return;
                                    }

                                    unflushed = 0;
                                }
                            }
                        }
                    }
                    finally
                    {
                        frame.Dispose();
                    }
                }

                if (unflushed > 0 && !await FlushAsync(output, aborting).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (aborting.IsCancellationRequested)
        {
            // Aborted: what is still queued is dropped.
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Abort($"sending failed: {e.Message}", failure: true, e);
        }
        catch (Exception e)
        {
            Abort($"the send loop failed unexpectedly: {e.GetType().Name}: {e.Message}", failure: true, e);
        }
        finally
        {
            _sendLoopDone.TrySetResult();
        }
    }

    private async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        FlushResult result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _flushCount);
        return !result.IsCanceled && !result.IsCompleted;
    }

    private async Task ShutdownGracefullyAsync()
    {
        _sendQueue.Writer.TryComplete();
        _stopReceiving.Cancel();
        try
        {
            await _sendLoopDone.Task.WaitAsync(_options.CloseTimeout).ConfigureAwait(false);
            _pipe.ShutdownSend();
        }
        catch (TimeoutException)
        {
            // The peer does not read; what is still queued is dropped with the socket.
        }

        CloseSocket();
    }

    private void CloseSocket()
    {
        if (Interlocked.Exchange(ref _socketAborted, 1) != 0)
        {
            return;
        }

        _stopReceiving.Cancel();
        _abort.Cancel();
        _pipe.Abort();
        _socketClosed.TrySetResult();
    }

    private async Task CleanupAsync()
    {
        _inbound?.Detach(this);
        _sendQueue.Writer.TryComplete();
        await _pipe.DisposeAsync().ConfigureAwait(false);
        while (_sendQueue.Reader.TryRead(out OutgoingFrame? frame))
        {
            frame.Dispose();
        }

        _completion.TrySetResult();
    }

    private bool TrySetCloseReason(string reason, bool failure, Exception? exception)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return false;
        }

        if (failure)
        {
            TransportLog.ConnectionFailed(_logger, RemoteNodeName, _pipe.RemoteDescription, reason, exception);
        }
        else
        {
            TransportLog.ConnectionClosed(_logger, RemoteNodeName, _pipe.RemoteDescription, reason);
        }

        return true;
    }
}
