using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mobility.Processes;
using Mobility.Transport.Tests.Support;

namespace Mobility.Transport.Tests;

public sealed class HandshakeTests
{
    [Fact]
    public async Task Handshake_succeeds_and_both_sides_learn_each_others_name_and_the_purpose()
    {
        (string Name, ConnectionPurpose Purpose)? asked = null;
        await using var server = TestServer.Start(accept: (name, purpose) =>
        {
            asked = (name, purpose);
            return null;
        });
        var client = new TestPeer("alpha");

        await using PeerConnection atClient = await client.ConnectAsync(server, ConnectionPurpose.Migration);
        PeerConnection atServer = await server.NextConnectionAsync();

        Assert.Equal("server", atClient.RemoteNodeName);
        Assert.Equal("alpha", atServer.RemoteNodeName);
        Assert.Equal(ConnectionPurpose.Migration, atServer.Purpose);
        Assert.Equal(ConnectionPurpose.Migration, atClient.Purpose);
        Assert.Equal(("alpha", ConnectionPurpose.Migration), asked);
        Assert.True(client.Logs.Has(LogLevel.Information, "Authenticated node 'server'"));
        Assert.True(server.Logs.Has(LogLevel.Information, "Authenticated node 'alpha'"));
    }

    [Fact]
    public async Task A_migration_connection_is_refused_by_a_server_that_has_no_migration_secret()
    {
        await using var server = TestServer.Start(options => options with { MigrationSecret = null });
        var client = new TestPeer("alpha");

        var exception = await Assert.ThrowsAsync<HandshakeFailedException>(() => client.ConnectAsync(server, ConnectionPurpose.Migration));

        Assert.Equal(HandshakeFailure.Refused, exception.Failure);
        Assert.Contains("no migration secret", exception.Message);
        await using PeerConnection cluster = await client.ConnectAsync(server, ConnectionPurpose.Cluster); // the cookie still opens cluster connections
    }

    [Fact]
    public async Task Wrong_cookie_is_refused_and_logged_on_both_sides()
    {
        await using var server = TestServer.Start();
        var intruder = new TestPeer("intruder", options => options with { Cookie = "a-guessed-cookie" });

        var failure = await Assert.ThrowsAsync<HandshakeFailedException>(() => intruder.ConnectAsync(server));

        Assert.Equal(HandshakeFailure.WrongCookie, failure.Failure);
        Assert.Contains("proof does not match", failure.Reason);
        Assert.Contains(server.EndPoint.ToString(), failure.Message);
        Assert.Contains("same cookie", failure.Message);
        Assert.True(intruder.Logs.Has(LogLevel.Warning, "WrongCookie", "the server's proof does not match"));
        await server.Logs.WaitForAsync(LogLevel.Warning, "WrongCookie", "the client rejected the handshake");
        Assert.Empty(server.Listener.Connections);
        Assert.False(server.HasUntakenConnection);
    }

    [Fact]
    public async Task Version_mismatch_is_refused_with_both_versions_named()
    {
        await using var server = TestServer.Start();
        var future = new TestPeer("future", options => options with { ProtocolVersion = Handshake.ProtocolVersion + 1 });

        var failure = await Assert.ThrowsAsync<HandshakeFailedException>(() => future.ConnectAsync(server));

        Assert.Equal(HandshakeFailure.VersionMismatch, failure.Failure);
        Assert.Contains($"version {Handshake.ProtocolVersion + 1}", failure.Reason);
        Assert.Contains($"speaks version {Handshake.ProtocolVersion}", failure.Reason);
        await server.Logs.WaitForAsync(LogLevel.Warning, "VersionMismatch");
        Assert.True(future.Logs.Has(LogLevel.Warning, "VersionMismatch", "the server rejected the handshake"));
    }

    [Fact]
    public async Task Accept_callback_refusal_reaches_the_client_with_its_reason()
    {
        ConnectionListener? listener = null;
        await using var server = TestServer.Start(accept: (name, _) =>
            listener!.Connections.Any(connection => connection.RemoteNodeName == name) ? $"a node named '{name}' is already connected" : null);
        listener = server.Listener;
        var first = new TestPeer("twin");
        var second = new TestPeer("twin");
        await using PeerConnection original = await first.ConnectAsync(server);
        await server.NextConnectionAsync();

        var failure = await Assert.ThrowsAsync<HandshakeFailedException>(() => second.ConnectAsync(server));

        Assert.Equal(HandshakeFailure.Refused, failure.Failure);
        Assert.Contains("a node named 'twin' is already connected", failure.Reason);
        await server.Logs.WaitForAsync(LogLevel.Warning, "Refused", "a node named 'twin' is already connected");
        await original.SendAsync("the first one still works"u8.ToArray());
        await server.Frames.WaitForCountAsync(1);
    }

    [Fact]
    public async Task Accept_callback_that_throws_refuses_the_client_and_logs_the_error()
    {
        await using var server = TestServer.Start(accept: (name, _) =>
            name == "client" ? throw new InvalidOperationException("registry unavailable") : null);

        var failure = await Assert.ThrowsAsync<HandshakeFailedException>(() => new TestPeer().ConnectAsync(server));

        Assert.Equal(HandshakeFailure.Refused, failure.Failure);
        await server.Logs.WaitForAsync(LogLevel.Error, "Deciding whether to accept node 'client'");
        await server.AssertServesAGoodClientAsync();
    }

    [Fact]
    public async Task A_recorded_client_handshake_replayed_on_a_new_connection_fails()
    {
        await using var server = TestServer.Start();
        byte[] recorded = await Raw.RecordClientHandshakeAsync(server, "victim");
        await server.NextConnectionAsync();

        using Socket replay = await Raw.ConnectAsync(server.EndPoint);
        await replay.SendAllAsync(recorded);
        await replay.ReadUntilClosedAsync();

        await server.Logs.WaitForAsync(LogLevel.Warning, "WrongCookie", "the client's proof does not match", "replayed");
        Assert.False(server.HasUntakenConnection);
    }

    [Fact]
    public async Task A_client_that_sends_nothing_is_dropped_at_the_handshake_timeout()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var server = TestServer.Start(options => options with { HandshakeTimeout = timeout });
        using Socket silent = await Raw.ConnectAsync(server.EndPoint);
        var clock = Stopwatch.StartNew();

        await silent.ReadUntilClosedAsync();

        Assert.True(clock.Elapsed >= timeout * 0.8, $"dropped after {clock.Elapsed}, before the timeout");
        await server.Logs.WaitForAsync(LogLevel.Warning, "Timeout", "did not complete within 0.3 s");
        await Wait.UntilAsync(() => server.Listener.ConnectionCount == 0, "the dropped connection to be released");
    }

    [Fact]
    public async Task A_client_gives_up_on_a_server_that_never_answers()
    {
        using var mute = new TcpListener(IPAddress.Loopback, 0);
        mute.Start();
        Task<Socket> accepting = mute.AcceptSocketAsync();
        var client = new TestPeer(configure: options => options with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });

        var failure = await Assert.ThrowsAsync<HandshakeFailedException>(() =>
            TransportConnector.ConnectAsync(mute.LocalEndpoint, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline());

        Assert.Equal(HandshakeFailure.Timeout, failure.Failure);
        Assert.True(client.Logs.Has(LogLevel.Warning, "Timeout"));
        using Socket accepted = await accepting.WithDeadline();
    }

    [Fact]
    public async Task Connecting_where_nobody_listens_throws_PeerUnreachableException()
    {
        IPEndPoint nobody;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            nobody = (IPEndPoint)probe.LocalEndpoint;
        }

        var client = new TestPeer();
        var failure = await Assert.ThrowsAsync<PeerUnreachableException>(() =>
            TransportConnector.ConnectAsync(nobody, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline());

        Assert.IsType<SocketException>(failure.InnerException);
        Assert.Contains(nobody.ToString(), failure.Message);
        Assert.True(client.Logs.Has(LogLevel.Warning, "Could not connect"));
    }

    [Fact]
    public async Task Host_and_port_overload_resolves_the_name()
    {
        await using var server = TestServer.Start();
        var client = new TestPeer();

        await using PeerConnection connection = await TransportConnector.ConnectAsync(
            "localhost", server.EndPoint.Port, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline();

        Assert.Equal("server", connection.RemoteNodeName);
    }

    [Fact]
    public void Options_never_print_the_cookie()
    {
        var options = new TransportOptions { NodeName = "a", Cookie = "very-secret" };

        Assert.DoesNotContain("very-secret", options.ToString());
        Assert.Contains("NodeName = a", options.ToString());
    }

    [Theory]
    [InlineData("", "Cookie")]
    [InlineData("name\n", "NodeName")]
    public void Options_that_cannot_work_are_rejected_up_front(string value, string setting)
    {
        var options = setting == "Cookie"
            ? new TransportOptions { NodeName = "a", Cookie = value }
            : new TransportOptions { NodeName = value, Cookie = "c" };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(setting, error.ParamName);
    }
}
