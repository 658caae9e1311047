using System.Buffers;
using System.Net;
using System.Threading.Channels;
using Mobility.Transport;

namespace Mobility.Transport.Tests.Support;

/// <summary>A started listener on a loopback port of the system's choosing, recording what reaches it.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly Channel<PeerConnection> _accepted = Channel.CreateUnbounded<PeerConnection>();

    private TestServer(
        Func<TransportOptions, TransportOptions>? configure,
        Func<string, ConnectionPurpose, string?>? accept,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask>? onFrame)
    {
        var options = new TransportOptions { NodeName = "server", Cookie = TestPeer.Cookie, MigrationSecret = TestPeer.Cookie, LoggerFactory = Logs.Factory };
        Options = configure?.Invoke(options) ?? options;
        Listener = new ConnectionListener(
            new IPEndPoint(IPAddress.Loopback, 0),
            Options,
            accept ?? ((_, _) => null),
            connection => _accepted.Writer.WriteAsync(connection),
            onFrame ?? Frames.Record);
        Listener.Start();
    }

    public LogCapture Logs { get; } = new();

    public TransportOptions Options { get; }

    public ConnectionListener Listener { get; }

    public FrameRecorder Frames { get; } = new();

    public IPEndPoint EndPoint => Listener.LocalEndPoint;

    public static TestServer Start(
        Func<TransportOptions, TransportOptions>? configure = null,
        Func<string, ConnectionPurpose, string?>? accept = null,
        Func<PeerConnection, ReadOnlySequence<byte>, ValueTask>? onFrame = null) =>
        new(configure, accept, onFrame);

    /// <summary>The next connection the listener authenticated (in accept order).</summary>
    public async Task<PeerConnection> NextConnectionAsync() => await _accepted.Reader.ReadAsync().AsTask().WithDeadline();

    /// <summary>Whether the listener handed out a connection that no test has taken yet.</summary>
    public bool HasUntakenConnection => _accepted.Reader.Count > 0;

    /// <summary>Proves the listener still serves: a fresh, good client connects and a frame reaches the server.</summary>
    public async Task AssertServesAGoodClientAsync(string name = "good-client")
    {
        var client = new TestPeer(name);
        await using PeerConnection connection = await client.ConnectAsync(this);
        int before = Frames.From(name).Count;
        await connection.SendAsync("still serving"u8.ToArray());
        await Wait.UntilAsync(() => Frames.From(name).Count > before, $"a frame from '{name}'");
        Assert.Equal("still serving"u8.ToArray(), Frames.From(name)[^1]);
    }

    public async ValueTask DisposeAsync() => await Listener.DisposeAsync();
}
