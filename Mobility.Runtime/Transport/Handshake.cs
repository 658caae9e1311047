using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MemoryPack;
using Microsoft.Extensions.Logging;

namespace Mobility.Transport;

/// <summary>
/// Mutual cookie authentication of a fresh connection, before any frame is handed to the node.
/// </summary>
/// <remarks>
/// <para>
/// Client → <see cref="Hello"/> (version, name, purpose, nonce); server → <see cref="HelloAnswer"/> (version, name,
/// nonce, proof) or <see cref="Reject"/>; client checks the server's proof and sends <see cref="ClientProof"/> (or a
/// <see cref="Reject"/> saying why not); server checks it, asks its <c>accept</c> callback, and sends
/// <see cref="Welcome"/> or <see cref="Reject"/>. Proofs are described in <see cref="HandshakeProof"/>: the cookie
/// never crosses the wire and fresh nonces on both sides make a replayed handshake fail.
/// </para>
/// <para>
/// Every message travels in a frame of at most <see cref="TransportOptions.MaxHandshakeFrameSize"/> bytes. The whole
/// handshake must complete within <see cref="TransportOptions.HandshakeTimeout"/>. Every failure is logged (with the
/// reason) and thrown as a <see cref="HandshakeFailedException"/>; whoever detects a failure tells the peer with a
/// <see cref="Reject"/> when the connection still works, so both logs say why.
/// </para>
/// </remarks>
internal static class Handshake
{
    /// <summary>The handshake protocol version this build speaks.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The size of each side's random challenge, in bytes.</summary>
    public const int NonceSize = 32;

    /// <summary>The longest node name, in UTF-16 characters.</summary>
    public const int MaxNodeNameLength = 255;

    private const int MaxReasonLength = 512;
    private const string ServerSide = "server";
    private const string ClientSide = "client";

    /// <summary>
    /// Runs the server side on a fresh inbound connection. Returns the authenticated peer, or throws
    /// <see cref="HandshakeFailedException"/> (already logged); throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="pipe">The connection. On success, bytes after the handshake stay unread in its input.</param>
    /// <param name="options">This node's transport settings.</param>
    /// <param name="accept">Called with the authenticated peer's name and purpose; returns <see langword="null"/> to accept or a refusal reason.</param>
    /// <param name="peer">The peer's address, for logs.</param>
    /// <param name="logger">Where failures and successes are logged.</param>
    /// <param name="cancellationToken">Cancels the handshake (for example, when the listener stops).</param>
    public static async Task<HandshakeResult> RunServerAsync(
        IDuplexPipe pipe,
        TransportOptions options,
        Func<string, ConnectionPurpose, string?> accept,
        string peer,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout);
        try
        {
            HandshakeResult result = await ServeAsync(pipe, options, accept, peer, logger, deadline.Token).ConfigureAwait(false);
            TransportLog.HandshakeSucceeded(logger, result.RemoteNodeName, peer, result.Purpose, ServerSide);
            return result;
        }
        catch (Exception e) when (Classify(e, options, cancellationToken) is { } failure)
        {
            TransportLog.HandshakeFailed(logger, peer, ServerSide, failure.Failure, failure.Reason);
            throw failure.WithPeer(peer);
        }
    }

    /// <summary>
    /// Runs the client side on a fresh outbound connection. Returns the authenticated server, or throws
    /// <see cref="HandshakeFailedException"/> (already logged); throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="pipe">The connection. On success, bytes after the handshake stay unread in its input.</param>
    /// <param name="options">This node's transport settings.</param>
    /// <param name="purpose">Why this node connects.</param>
    /// <param name="peer">The server's address, for logs.</param>
    /// <param name="logger">Where failures and successes are logged.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    public static async Task<HandshakeResult> RunClientAsync(
        IDuplexPipe pipe,
        TransportOptions options,
        ConnectionPurpose purpose,
        string peer,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout);
        try
        {
            HandshakeResult result = await ConnectAsync(pipe, options, purpose, deadline.Token).ConfigureAwait(false);
            TransportLog.HandshakeSucceeded(logger, result.RemoteNodeName, peer, result.Purpose, ClientSide);
            return result;
        }
        catch (Exception e) when (Classify(e, options, cancellationToken) is { } failure)
        {
            TransportLog.HandshakeFailed(logger, peer, ClientSide, failure.Failure, failure.Reason);
            throw failure.WithPeer(peer);
        }
    }

    /// <summary>Says what is wrong with <paramref name="name"/> as a node name, or returns <see langword="null"/> if it is fine.</summary>
    public static string? DescribeInvalidNodeName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxNodeNameLength)
        {
            return $"it has {name.Length} characters, more than {MaxNodeNameLength}";
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        return null;
    }

    private static async Task<HandshakeResult> ServeAsync(
        IDuplexPipe pipe,
        TransportOptions options,
        Func<string, ConnectionPurpose, string?> accept,
        string peer,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        IHandshakeMessage first = await ReadAsync(pipe, options, cancellationToken).ConfigureAwait(false);
        if (first is not Hello hello)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Malformed, $"expected Hello first, got {first.GetType().Name}", cancellationToken).ConfigureAwait(false);
        }

        if (hello.ProtocolVersion != options.ProtocolVersion)
        {
            throw await RejectAsync(
                pipe,
                HandshakeFailure.VersionMismatch,
                $"the client speaks handshake protocol version {hello.ProtocolVersion}; this node speaks version {options.ProtocolVersion}",
                cancellationToken).ConfigureAwait(false);
        }

        string? problem = DescribeInvalidNodeName(hello.NodeName) is { } nameProblem ? $"the client's node name is invalid: {nameProblem}"
            : hello.Purpose is not (ConnectionPurpose.Cluster or ConnectionPurpose.Migration) ? $"unknown connection purpose {(byte)hello.Purpose}"
            : hello.Nonce is not { Length: NonceSize } ? $"the client's nonce is not {NonceSize} bytes"
            : null;
        if (problem is not null)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Malformed, problem, cancellationToken).ConfigureAwait(false);
        }

        // Cluster members prove the cluster's cookie; nodes of other clusters that bring or fetch processes prove
        // the migration secret, which a node must configure to accept them at all.
        string? key = hello.Purpose == ConnectionPurpose.Migration
            ? options.MigrationSecretFor?.Invoke(hello.NodeName) ?? options.MigrationSecret
            : options.Cookie;
        if (key is null)
        {
            throw await RejectAsync(
                pipe,
                HandshakeFailure.Refused,
                "this node does not accept out-of-cluster migrations (it has no migration secret)",
                cancellationToken).ConfigureAwait(false);
        }

        byte[] serverNonce = RandomNumberGenerator.GetBytes(NonceSize);
        byte[] serverProof = HandshakeProof.Compute(
            key, HandshakeProof.ServerLabel, options.ProtocolVersion, hello.Purpose, hello.Nonce, serverNonce, hello.NodeName, options.NodeName);
        await WriteAsync(pipe.Output, new HelloAnswer(options.ProtocolVersion, options.NodeName, serverNonce, serverProof), cancellationToken).ConfigureAwait(false);

        IHandshakeMessage second = await ReadAsync(pipe, options, cancellationToken).ConfigureAwait(false);
        if (second is Reject reject)
        {
            throw Rejected(reject, ClientSide);
        }

        if (second is not ClientProof proof)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Malformed, $"expected the client's proof, got {second.GetType().Name}", cancellationToken).ConfigureAwait(false);
        }

        byte[] expected = HandshakeProof.Compute(
            key, HandshakeProof.ClientLabel, options.ProtocolVersion, hello.Purpose, hello.Nonce, serverNonce, hello.NodeName, options.NodeName);
        if (!HandshakeProof.Matches(expected, proof.Proof))
        {
            throw await RejectAsync(
                pipe,
                HandshakeFailure.WrongCookie,
                "the client's proof does not match this node's cookie (a different cookie, or a replayed handshake)",
                cancellationToken).ConfigureAwait(false);
        }

        string? refusal;
        try
        {
            refusal = accept(hello.NodeName, hello.Purpose);
        }
        catch (Exception e)
        {
            TransportLog.AcceptCallbackFailed(logger, hello.NodeName, peer, e);
            refusal = "the node failed while deciding whether to accept the connection";
        }

        if (refusal is not null)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Refused, refusal, cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(pipe.Output, new Welcome(), cancellationToken).ConfigureAwait(false);
        return new HandshakeResult(hello.NodeName, hello.Purpose);
    }

    private static async Task<HandshakeResult> ConnectAsync(IDuplexPipe pipe, TransportOptions options, ConnectionPurpose purpose, CancellationToken cancellationToken)
    {
        byte[] clientNonce = RandomNumberGenerator.GetBytes(NonceSize);
        await WriteAsync(pipe.Output, new Hello(options.ProtocolVersion, options.NodeName, purpose, clientNonce), cancellationToken).ConfigureAwait(false);

        IHandshakeMessage first = await ReadAsync(pipe, options, cancellationToken).ConfigureAwait(false);
        if (first is Reject reject)
        {
            throw Rejected(reject, ServerSide);
        }

        if (first is not HelloAnswer answer)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Malformed, $"expected the server's answer to Hello, got {first.GetType().Name}", cancellationToken).ConfigureAwait(false);
        }

        if (answer.ProtocolVersion != options.ProtocolVersion)
        {
            throw await RejectAsync(
                pipe,
                HandshakeFailure.VersionMismatch,
                $"the server speaks handshake protocol version {answer.ProtocolVersion}; this node speaks version {options.ProtocolVersion}",
                cancellationToken).ConfigureAwait(false);
        }

        string? problem = DescribeInvalidNodeName(answer.NodeName) is { } nameProblem ? $"the server's node name is invalid: {nameProblem}"
            : answer.Nonce is not { Length: NonceSize } ? $"the server's nonce is not {NonceSize} bytes"
            : answer.Nonce.AsSpan().SequenceEqual(clientNonce) ? "the server echoed the client's nonce"
            : null;
        if (problem is not null)
        {
            throw await RejectAsync(pipe, HandshakeFailure.Malformed, problem, cancellationToken).ConfigureAwait(false);
        }

        byte[] expected = HandshakeProof.Compute(
            options.Cookie, HandshakeProof.ServerLabel, options.ProtocolVersion, purpose, clientNonce, answer.Nonce, options.NodeName, answer.NodeName);
        if (!HandshakeProof.Matches(expected, answer.Proof))
        {
            throw await RejectAsync(
                pipe,
                HandshakeFailure.WrongCookie,
                "the server's proof does not match this node's cookie",
                cancellationToken).ConfigureAwait(false);
        }

        byte[] clientProof = HandshakeProof.Compute(
            options.Cookie, HandshakeProof.ClientLabel, options.ProtocolVersion, purpose, clientNonce, answer.Nonce, options.NodeName, answer.NodeName);
        await WriteAsync(pipe.Output, new ClientProof(clientProof), cancellationToken).ConfigureAwait(false);

        IHandshakeMessage last = await ReadAsync(pipe, options, cancellationToken).ConfigureAwait(false);
        return last switch
        {
            Welcome => new HandshakeResult(answer.NodeName, purpose),
            Reject finalReject => throw Rejected(finalReject, ServerSide),
            _ => throw await RejectAsync(pipe, HandshakeFailure.Malformed, $"expected Welcome, got {last.GetType().Name}", cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>Reads one handshake message; anything else than a well-formed one ends the handshake.</summary>
    private static async ValueTask<IHandshakeMessage> ReadAsync(IDuplexPipe pipe, TransportOptions options, CancellationToken cancellationToken)
    {
        PipeReader input = pipe.Input;
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            FrameReadStatus status = FrameCodec.TryReadFrame(ref buffer, options.MaxHandshakeFrameSize, out ReadOnlySequence<byte> payload, out long announced);
            if (status == FrameReadStatus.Complete)
            {
                string? problem = TryDecode(payload, out IHandshakeMessage? message);
                input.AdvanceTo(buffer.Start);
                if (problem is not null)
                {
                    throw await RejectAsync(pipe, HandshakeFailure.Malformed, problem, cancellationToken).ConfigureAwait(false);
                }

                return message!;
            }

            if (status == FrameReadStatus.TooLarge)
            {
                input.AdvanceTo(buffer.Start);
                throw await RejectAsync(
                    pipe,
                    HandshakeFailure.Malformed,
                    $"a handshake frame announces {announced} bytes, more than the {options.MaxHandshakeFrameSize} allowed",
                    cancellationToken).ConfigureAwait(false);
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new HandshakeFailedException(
                    HandshakeFailure.Closed,
                    buffer.IsEmpty ? "the peer closed the connection" : $"the peer closed the connection: {FrameCodec.DescribeTruncation(buffer.Length, announced)}");
            }
        }
    }

    private static string? TryDecode(in ReadOnlySequence<byte> payload, out IHandshakeMessage? message)
    {
        message = null;
        int consumed;
        try
        {
            consumed = MemoryPackSerializer.Deserialize(payload, ref message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"a handshake frame could not be decoded ({e.GetType().Name}: {Sanitize(e.Message)})";
        }

        if (message is null)
        {
            return "a handshake frame holds no message";
        }

        if (consumed != payload.Length)
        {
            return $"a handshake frame has {payload.Length - consumed} bytes after its message";
        }

        return null;
    }

    private static async ValueTask WriteAsync(PipeWriter output, IHandshakeMessage message, CancellationToken cancellationToken)
    {
        byte[] payload = MemoryPackSerializer.Serialize(message);
        FrameCodec.WriteFrame(output, payload);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the peer why the handshake ends (best effort) and returns the exception to throw.</summary>
    private static async ValueTask<HandshakeFailedException> RejectAsync(IDuplexPipe pipe, HandshakeFailure failure, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(pipe.Output, new Reject(failure, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer will learn from the closed connection instead.
        }

        return new HandshakeFailedException(failure, reason);
    }

    private static HandshakeFailedException Rejected(Reject reject, string by)
    {
        HandshakeFailure failure = reject.Failure is >= HandshakeFailure.WrongCookie and <= HandshakeFailure.Closed ? reject.Failure : HandshakeFailure.Malformed;
        return new HandshakeFailedException(failure, $"the {by} rejected the handshake: {Sanitize(reject.Reason)}");
    }

    /// <summary>Maps whatever ended a handshake to the failure to log and throw; <see langword="null"/> lets the exception through.</summary>
    private static HandshakeFailedException? Classify(Exception exception, TransportOptions options, CancellationToken cancellationToken) => exception switch
    {
        HandshakeFailedException failed => failed,
        OperationCanceledException when !cancellationToken.IsCancellationRequested => new HandshakeFailedException(
            HandshakeFailure.Timeout, $"the handshake did not complete within {options.HandshakeTimeout.TotalSeconds:0.###} s", innerException: exception),
        IOException or SocketException or ObjectDisposedException => new HandshakeFailedException(
            HandshakeFailure.Closed, $"the connection failed: {exception.Message}", innerException: exception),
        _ => null,
    };

    /// <summary>Makes text from a peer safe for one log line: no control characters, bounded length.</summary>
    private static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "(no reason given)";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxReasonLength));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, MaxReasonLength)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        if (text.Length > MaxReasonLength)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
