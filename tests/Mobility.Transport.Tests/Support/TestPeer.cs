using System.Buffers;
using Mobility.Transport;

namespace Mobility.Transport.Tests.Support;

/// <summary>The client side of a test: a node name, its options, its own log and what it receives.</summary>
internal sealed class TestPeer
{
    public const string Cookie = "the-cluster-cookie";

    public TestPeer(string name = "client", Func<TransportOptions, TransportOptions>? configure = null)
    {
        var options = new TransportOptions { NodeName = name, Cookie = Cookie, LoggerFactory = Logs.Factory };
        Options = configure?.Invoke(options) ?? options;
    }

    public LogCapture Logs { get; } = new();

    public TransportOptions Options { get; }

    public FrameRecorder Frames { get; } = new();

    public Task<PeerConnection> ConnectAsync(
        TestServer server,
        ConnectionPurpose purpose = ConnectionPurpose.Cluster,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask>? onFrame = null) =>
        TransportConnector.ConnectAsync(server.EndPoint, Options, purpose, onFrame ?? Frames.Record).WithDeadline();
}
