using System.Net.Sockets;
using System.Text;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Transport.Tests.Support;

namespace Mobility.Transport.Tests;

public sealed class ListenerTests
{
    [Fact]
    public async Task Random_bytes_instead_of_a_handshake_close_that_connection_and_the_listener_serves_the_next_client()
    {
        await using var server = TestServer.Start();
        byte[] noise = new byte[200];
        new Random(7).NextBytes(noise);

        using (Socket socket = await Raw.ConnectAsync(server.EndPoint))
        {
            await socket.SendAllAsync(noise);
            await socket.ReadUntilClosedAsync();
        }

        await server.Logs.WaitForAsync(LogLevel.Warning, "Malformed");
        await server.AssertServesAGoodClientAsync();
    }

    [Fact]
    public async Task A_handshake_frame_over_the_handshake_limit_is_refused_without_waiting_for_its_payload()
    {
        await using var server = TestServer.Start();
        using Socket socket = await Raw.ConnectAsync(server.EndPoint);

        await socket.SendAllAsync(Raw.Header(5000));
        await socket.ReadUntilClosedAsync();

        await server.Logs.WaitForAsync(LogLevel.Warning, "Malformed", "announces 5000 bytes, more than the 4096 allowed");
    }

    [Fact]
    public async Task A_truncated_handshake_frame_followed_by_end_of_stream_is_logged()
    {
        await using var server = TestServer.Start();
        using Socket socket = await Raw.ConnectAsync(server.EndPoint);

        await socket.SendAllAsync([.. Raw.Header(100), .. new byte[10]]);
        socket.Shutdown(SocketShutdown.Send);
        await socket.ReadUntilClosedAsync();

        await server.Logs.WaitForAsync(LogLevel.Warning, "Closed", "10 of 100 payload bytes");
    }

    [Fact]
    public async Task A_message_out_of_turn_is_malformed()
    {
        await using var server = TestServer.Start();
        using Socket socket = await Raw.ConnectAsync(server.EndPoint);

        await socket.SendAllAsync(Raw.Frame(MemoryPackSerializer.Serialize<IHandshakeMessage>(new Welcome())));
        await socket.ReadUntilClosedAsync();

        await server.Logs.WaitForAsync(LogLevel.Warning, "Malformed", "expected Hello first, got Welcome");
    }

    [Fact]
    public async Task A_hostile_string_length_in_a_handshake_message_is_malformed_not_fatal()
    {
        // MemoryPack 1.21.4's own string reader reads far out of bounds on this length and kills the process;
        // handshake strings therefore go through WireStringFormatter.
        await using var server = TestServer.Start();
        byte[] hello = MemoryPackSerializer.Serialize<IHandshakeMessage>(new Hello(Handshake.ProtocolVersion, "NAME", ConnectionPurpose.Cluster, new byte[Handshake.NonceSize]));
        int name = hello.AsSpan().IndexOf("NAME"u8);
        BitConverter.GetBytes(int.MinValue).CopyTo(hello, name - 4);

        using Socket socket = await Raw.ConnectAsync(server.EndPoint);
        await socket.SendAllAsync(Raw.Frame(hello));
        await socket.ReadUntilClosedAsync();

        await server.Logs.WaitForAsync(LogLevel.Warning, "Malformed", "could not be decoded");
        await server.AssertServesAGoodClientAsync();
    }

    [Fact]
    public async Task An_oversized_frame_after_the_handshake_closes_that_connection_before_its_payload_and_the_listener_serves_others()
    {
        await using var server = TestServer.Start(options => options with { MaxFrameSize = 1024 });
        await using SocketPipe raw = await Raw.AuthenticateAsync(server, "oversized");
        PeerConnection atServer = await server.NextConnectionAsync();

        await raw.WriteAsync(Raw.Header(1_000_000));
        await raw.DrainUntilClosedAsync();

        await atServer.Completion.WithDeadline();
        Assert.Equal("the peer announced a frame of 1000000 bytes, more than the maximum frame size of 1024 bytes", atServer.CloseReason);
        await server.Logs.WaitForAsync(LogLevel.Warning, "Connection with node 'oversized'", "1000000 bytes");
        await server.AssertServesAGoodClientAsync();
    }

    [Fact]
    public async Task A_large_frame_read_straight_from_the_socket_keeps_its_place_between_small_frames()
    {
        await using var server = TestServer.Start();
        await using SocketPipe raw = await Raw.AuthenticateAsync(server, "large");
        PeerConnection atServer = await server.NextConnectionAsync();
        byte[] large = new byte[300_000];
        new Random(3).NextBytes(large);

        await raw.WriteAsync([.. Raw.Frame("before"u8), .. Raw.Frame(large), .. Raw.Frame("after"u8)]);

        await server.Frames.WaitForCountAsync(3);
        IReadOnlyList<byte[]> frames = server.Frames.From("large");
        Assert.Equal("before"u8.ToArray(), frames[0]);
        Assert.True(large.AsSpan().SequenceEqual(frames[1]), "the large frame differs from what was sent");
        Assert.Equal("after"u8.ToArray(), frames[2]);
        Assert.Null(atServer.CloseReason);
    }

    [Fact]
    public async Task A_truncated_large_frame_followed_by_end_of_stream_closes_the_connection_with_a_reason()
    {
        await using var server = TestServer.Start();
        await using SocketPipe raw = await Raw.AuthenticateAsync(server, "truncated");
        PeerConnection atServer = await server.NextConnectionAsync();

        await raw.WriteAsync([.. Raw.Header(200_000), .. new byte[150_000]]);
        raw.ShutdownSend();

        await atServer.Completion.WithDeadline();
        Assert.Equal("the remote node closed the connection in the middle of a frame: the stream ended inside a frame (150000 of 200000 payload bytes)", atServer.CloseReason);
        Assert.Empty(server.Frames.Frames);
    }

    [Fact]
    public async Task A_truncated_frame_followed_by_end_of_stream_closes_the_connection_with_a_reason()
    {
        await using var server = TestServer.Start();
        await using SocketPipe raw = await Raw.AuthenticateAsync(server, "truncated");
        PeerConnection atServer = await server.NextConnectionAsync();

        await raw.WriteAsync([.. Raw.Frame("whole"u8), .. Raw.Header(100), .. new byte[10]]);
        raw.ShutdownSend();

        await atServer.Completion.WithDeadline();
        Assert.Equal("the remote node closed the connection in the middle of a frame: the stream ended inside a frame (10 of 100 payload bytes)", atServer.CloseReason);
        Assert.Equal("whole"u8.ToArray(), Assert.Single(server.Frames.Frames).Payload);
        Assert.True(server.Logs.Has(LogLevel.Warning, "Connection with node 'truncated'", "10 of 100 payload bytes"));
    }

    [Fact]
    public async Task The_connection_cap_refuses_the_extra_connection_and_frees_the_slot_when_one_closes()
    {
        await using var server = TestServer.Start(options => options with { MaxConnections = 2 });
        PeerConnection first = await new TestPeer("first").ConnectAsync(server);
        await using PeerConnection second = await new TestPeer("second").ConnectAsync(server);

        var refused = await Assert.ThrowsAsync<HandshakeFailedException>(() => new TestPeer("third").ConnectAsync(server));

        Assert.Equal(HandshakeFailure.Closed, refused.Failure);
        await server.Logs.WaitForAsync(LogLevel.Warning, "already holds 2 connections, its limit");
        await first.CloseAsync("making room").WithDeadline();
        await Wait.UntilAsync(() => server.Listener.ConnectionCount == 1, "the closed connection to free its slot");
        await using PeerConnection third = await new TestPeer("third").ConnectAsync(server);
        Assert.Equal("server", third.RemoteNodeName);
    }

    [Fact]
    public async Task Stopping_the_listener_closes_its_connections_and_handshakes_and_refuses_new_ones()
    {
        var server = TestServer.Start();
        await using PeerConnection client = await new TestPeer().ConnectAsync(server);
        PeerConnection atServer = await server.NextConnectionAsync();
        using Socket handshaking = await Raw.ConnectAsync(server.EndPoint);
        await Wait.UntilAsync(() => server.Listener.ConnectionCount == 2, "the silent connection to be accepted");

        await server.Listener.StopAsync().WithDeadline();

        Assert.Equal("the listener stopped", atServer.CloseReason);
        await client.Completion.WithDeadline();
        await handshaking.ReadUntilClosedAsync();
        Assert.Equal(0, server.Listener.ConnectionCount);
        await Assert.ThrowsAsync<PeerUnreachableException>(() => new TestPeer("late").ConnectAsync(server));
        Assert.True(server.Logs.Has(LogLevel.Information, "stopped accepting"));
    }

    [Fact]
    public async Task A_node_that_cannot_take_a_connection_closes_only_that_one()
    {
        int calls = 0;
        var logs = new LogCapture();
        var options = new TransportOptions { NodeName = "server", Cookie = TestPeer.Cookie, LoggerFactory = logs.Factory };
        var recorder = new FrameRecorder();
        await using var listener = new ConnectionListener(
            new(System.Net.IPAddress.Loopback, 0),
            options,
            (_, _) => null,
            _ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("no room") : ValueTask.CompletedTask,
            recorder.Record);
        listener.Start();
        var client = new TestPeer();

        PeerConnection dropped = await TransportConnector.ConnectAsync(listener.LocalEndPoint, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline();
        await dropped.Completion.WithDeadline();
        await using PeerConnection kept = await TransportConnector.ConnectAsync(listener.LocalEndPoint, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline();
        await kept.SendAsync(Encoding.UTF8.GetBytes("kept"));

        await recorder.WaitForCountAsync(1);
        Assert.True(logs.Has(LogLevel.Error, "could not take the new connection"));
    }
}
