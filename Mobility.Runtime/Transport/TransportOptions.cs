using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Transport.Faults;

namespace Mobility.Transport;

/// <summary>
/// Settings shared by the listener, the connector and every connection of one node's transport.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never prints the <see cref="Cookie"/>, so options can be logged safely.
/// Call <see cref="Validate"/> before use; the listener and the connector do.
/// </remarks>
internal sealed record TransportOptions
{
    /// <summary>The default largest payload of a frame after the handshake: 64 MiB.</summary>
    public const int DefaultMaxFrameSize = 64 * 1024 * 1024;

    /// <summary>The default largest payload of a handshake frame: 4 KiB.</summary>
    public const int DefaultMaxHandshakeFrameSize = 4 * 1024;

    /// <summary>The shared secret of the cluster. Both ends prove they know it; it never crosses the wire.</summary>
    public required string Cookie { get; init; }

    /// <summary>
    /// The secret that nodes of other clusters prove for <see cref="ConnectionPurpose.Migration"/> connections
    /// (the mobility TCP server); null refuses such connections. A client proves <see cref="Cookie"/> whatever its purpose.
    /// </summary>
    public string? MigrationSecret { get; init; }

    /// <summary>
    /// The secret expected from a particular remote node (by the name it gives in its hello) for a migration
    /// connection; null falls back to <see cref="MigrationSecret"/>.
    /// </summary>
    public Func<string, string?>? MigrationSecretFor { get; init; }

    /// <summary>TLS under every connection (null: plain TCP). The handshake then runs inside it.</summary>
    public TlsSettings? Tls { get; init; }

    /// <summary>The name of this node, sent to the peer during the handshake.</summary>
    public required string NodeName { get; init; }

    /// <summary>
    /// The largest frame payload, in bytes, this end accepts or sends. A peer announcing a larger
    /// frame is disconnected before its payload is buffered.
    /// </summary>
    public int MaxFrameSize { get; init; } = DefaultMaxFrameSize;

    /// <summary>The largest payload, in bytes, of a frame during the handshake.</summary>
    public int MaxHandshakeFrameSize { get; init; } = DefaultMaxHandshakeFrameSize;

    /// <summary>How long a whole handshake may take, on either side, before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long establishing the TCP connection may take before the connector gives up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many inbound connections (handshaking or authenticated) the listener holds at once;
    /// beyond it a new socket is closed as soon as it is accepted.
    /// </summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>How many frames a connection queues for sending before senders wait (backpressure).</summary>
    public int SendQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// How long closing a connection waits for frames already queued to be written before it
    /// drops them and closes the socket anyway.
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The handshake protocol version this end speaks. Only tests (and a later version
    /// negotiation) set it to anything but <see cref="Handshake.ProtocolVersion"/>.
    /// </summary>
    public int ProtocolVersion { get; init; } = Handshake.ProtocolVersion;

    /// <summary>Where the transport logs.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>
    /// Tests only: the faults injected into this node's connections (shared by all the nodes of a test); null, the
    /// default, for a network that is left alone. <c>with</c> copies share it.
    /// </summary>
    public FaultInjector? Faults { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Cookie))
        {
            throw new ArgumentException("The transport needs a non-empty cookie; every node of the cluster must use the same one.", nameof(Cookie));
        }

        if (Handshake.DescribeInvalidNodeName(NodeName) is { } problem)
        {
            throw new ArgumentException($"The node name cannot be used: {problem}.", nameof(NodeName));
        }

        if (MaxFrameSize < 0)
        {
            throw new ArgumentException($"MaxFrameSize must be zero or more, not {MaxFrameSize}.", nameof(MaxFrameSize));
        }

        if (MaxHandshakeFrameSize < 256)
        {
            throw new ArgumentException($"MaxHandshakeFrameSize must be at least 256 bytes to carry a handshake, not {MaxHandshakeFrameSize}.", nameof(MaxHandshakeFrameSize));
        }

        RequirePositive(HandshakeTimeout, nameof(HandshakeTimeout));
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(CloseTimeout, nameof(CloseTimeout));

        if (MaxConnections < 1)
        {
            throw new ArgumentException($"MaxConnections must be at least 1, not {MaxConnections}.", nameof(MaxConnections));
        }

        if (SendQueueCapacity < 1)
        {
            throw new ArgumentException($"SendQueueCapacity must be at least 1, not {SendQueueCapacity}.", nameof(SendQueueCapacity));
        }

        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be positive, not {value}.", name);
        }
    }

    /// <summary>Prints every setting except the cookie.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"NodeName = {NodeName}, Cookie = ***, MaxFrameSize = {MaxFrameSize}, MaxHandshakeFrameSize = {MaxHandshakeFrameSize}, ");
        builder.Append($"HandshakeTimeout = {HandshakeTimeout}, ConnectTimeout = {ConnectTimeout}, MaxConnections = {MaxConnections}, ");
        builder.Append($"SendQueueCapacity = {SendQueueCapacity}, CloseTimeout = {CloseTimeout}, ProtocolVersion = {ProtocolVersion}");
        if (Faults is not null)
        {
            builder.Append(", Faults = injected");
        }

        return true;
    }
}
