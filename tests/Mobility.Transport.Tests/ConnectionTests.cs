using System.Buffers;
using System.Buffers.Binary;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Transport.Tests.Support;

namespace Mobility.Transport.Tests;

public sealed class ConnectionTests
{
    [Fact]
    public async Task Frames_from_four_concurrent_senders_keep_per_sender_order()
    {
        const int Senders = 4;
        const int FramesPerSender = 2_500;
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (int sequence = 0; sequence < FramesPerSender; sequence++)
            {
                await connection.SendAsync((sender, sequence), static (frame, writer) =>
                {
                    Span<byte> span = writer.GetSpan(8);
                    BinaryPrimitives.WriteInt32LittleEndian(span, frame.sender);
                    BinaryPrimitives.WriteInt32LittleEndian(span[4..], frame.sequence);
                    writer.Advance(8);
                });
            }
        })));

        await server.Frames.WaitForCountAsync(Senders * FramesPerSender);
        var bySender = server.Frames.Frames
            .Select(frame => (Sender: BinaryPrimitives.ReadInt32LittleEndian(frame.Payload), Sequence: BinaryPrimitives.ReadInt32LittleEndian(frame.Payload.AsSpan(4))))
            .GroupBy(frame => frame.Sender)
            .ToDictionary(group => group.Key, group => group.Select(frame => frame.Sequence).ToList());
        Assert.Equal(Senders, bySender.Count);
        foreach (List<int> sequences in bySender.Values)
        {
            Assert.Equal(Enumerable.Range(0, FramesPerSender), sequences);
        }
    }

    [Fact]
    public async Task Frames_sent_in_order_are_queued_in_the_order_their_writers_ran_even_when_they_wait_for_room()
    {
        const int Senders = 4;
        const int FramesPerSender = 2_500;
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer(configure: options => options with { SendQueueCapacity = 4 }).ConnectAsync(server);
        long taken = 0;

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < FramesPerSender; i++)
            {
                await connection.SendInOrderAsync(0, (_, writer) =>
                {
                    // The number is taken as the frame is written, as a node numbers its messages to a process.
                    BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), ++taken);
                    writer.Advance(8);
                });
            }
        })));

        await server.Frames.WaitForCountAsync(Senders * FramesPerSender);
        var numbers = server.Frames.Frames.Select(frame => BinaryPrimitives.ReadInt64LittleEndian(frame.Payload)).ToList();
        Assert.Equal(Enumerable.Range(1, Senders * FramesPerSender).Select(number => (long)number), numbers);
    }

    [Fact]
    public async Task Frames_the_server_sends_right_after_the_handshake_reach_the_client()
    {
        var logs = new LogCapture();
        var options = new TransportOptions { NodeName = "server", Cookie = TestPeer.Cookie, LoggerFactory = logs.Factory };
        await using var listener = new ConnectionListener(
            new(System.Net.IPAddress.Loopback, 0),
            options,
            (_, _) => null,
            async connection =>
            {
                await connection.SendAsync("first"u8.ToArray());
                await connection.SendAsync("second"u8.ToArray());
            },
            static (_, _) => ValueTask.CompletedTask);
        listener.Start();
        var client = new TestPeer();

        await using PeerConnection connection = await TransportConnector.ConnectAsync(
            listener.LocalEndPoint, client.Options, ConnectionPurpose.Cluster, client.Frames.Record).WithDeadline();

        await client.Frames.WaitForCountAsync(2);
        Assert.Equal(["first", "second"], client.Frames.Frames.Select(frame => System.Text.Encoding.UTF8.GetString(frame.Payload)));
    }

    [Fact]
    public async Task A_16_MiB_frame_round_trips_intact()
    {
        byte[] large = new byte[16 * 1024 * 1024];
        new Random(16).NextBytes(large);
        await using var server = TestServer.Start(onFrame: static (connection, payload) =>
            connection.SendAsync(payload, static (echo, writer) =>
            {
                foreach (ReadOnlyMemory<byte> segment in echo)
                {
                    writer.Write(segment.Span);
                }
            }));
        var client = new TestPeer();
        await using PeerConnection connection = await client.ConnectAsync(server);

        await connection.SendAsync(large);

        await client.Frames.WaitForCountAsync(1);
        byte[] echoed = Assert.Single(client.Frames.Frames).Payload;
        Assert.Equal(large.Length, echoed.Length);
        Assert.True(large.AsSpan().SequenceEqual(echoed), "the echoed 16 MiB frame differs from what was sent");
    }

    [Fact]
    public async Task A_zero_length_frame_is_delivered_as_an_empty_payload()
    {
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);

        await connection.SendAsync(ReadOnlyMemory<byte>.Empty);
        await connection.SendAsync(new byte[] { 42 });

        await server.Frames.WaitForCountAsync(2);
        Assert.Collection(
            server.Frames.Frames,
            first => Assert.Empty(first.Payload),
            second => Assert.Equal([42], second.Payload));
    }

    [Fact]
    public async Task MemoryPack_serializes_straight_into_the_frame()
    {
        string[] message = ["offer", "process-7", "node-b"];
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);

        await connection.SendAsync(message, static (value, writer) => MemoryPackSerializer.Serialize(writer, value));

        await server.Frames.WaitForCountAsync(1);
        Assert.Equal(message, MemoryPackSerializer.Deserialize<string[]>(Assert.Single(server.Frames.Frames).Payload));
    }

    [Fact]
    public async Task A_writer_that_throws_sends_nothing_and_the_connection_keeps_working()
    {
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(0, static (_, writer) =>
        {
            writer.Write("half a message"u8);
            throw new InvalidOperationException("serializer failed");
        }).AsTask());
        await connection.SendAsync("whole"u8.ToArray());

        Assert.Equal("serializer failed", error.Message);
        await server.Frames.WaitForCountAsync(1);
        Assert.Equal("whole"u8.ToArray(), Assert.Single(server.Frames.Frames).Payload);
        Assert.Null(connection.CloseReason);
    }

    [Fact]
    public async Task A_payload_over_the_maximum_frame_size_is_refused_at_send_and_the_connection_keeps_working()
    {
        await using var server = TestServer.Start();
        await using PeerConnection connection = await new TestPeer(configure: options => options with { MaxFrameSize = 1024 }).ConnectAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(new byte[1025]).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(0, static (_, writer) => writer.Write(new byte[2000])).AsTask());
        await connection.SendAsync(new byte[1024]);

        await server.Frames.WaitForCountAsync(1);
        Assert.Equal(1024, Assert.Single(server.Frames.Frames).Payload.Length);
    }

    [Fact]
    public async Task Sending_on_a_closed_connection_throws_ConnectionClosedException_with_the_reason()
    {
        await using var server = TestServer.Start();
        PeerConnection connection = await new TestPeer().ConnectAsync(server);

        await connection.CloseAsync("done with it").WithDeadline();

        var error = await Assert.ThrowsAsync<ConnectionClosedException>(() => connection.SendAsync(new byte[1]).AsTask());
        Assert.Equal("done with it", error.Reason);
        Assert.Equal("done with it", connection.CloseReason);
        Assert.True(connection.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Closing_writes_the_frames_already_queued_and_the_peer_learns_why_it_ended()
    {
        await using var server = TestServer.Start();
        PeerConnection connection = await new TestPeer().ConnectAsync(server);
        PeerConnection atServer = await server.NextConnectionAsync();

        for (int i = 0; i < 500; i++)
        {
            await connection.SendAsync(BitConverter.GetBytes(i));
        }

        await connection.CloseAsync("finished").WithDeadline();

        await atServer.Completion.WithDeadline();
        Assert.Equal(500, server.Frames.Count);
        Assert.Equal("the remote node closed the connection", atServer.CloseReason);
        await server.Logs.WaitForAsync(LogLevel.Information, "Connection with node 'client'", "the remote node closed the connection");
    }

    [Fact]
    public async Task A_frame_handler_that_throws_closes_only_its_connection()
    {
        var handled = new FrameRecorder();
        await using var server = TestServer.Start(onFrame: (connection, payload) =>
            payload.FirstSpan.SequenceEqual("boom"u8) ? throw new InvalidOperationException("cannot handle boom") : handled.Record(connection, payload));
        var failing = new TestPeer("failing");
        var healthy = new TestPeer("healthy");
        await using PeerConnection failingConnection = await failing.ConnectAsync(server);
        await using PeerConnection healthyConnection = await healthy.ConnectAsync(server);

        await failingConnection.SendAsync("boom"u8.ToArray());

        await failingConnection.Completion.WithDeadline();
        await server.Logs.WaitForAsync(LogLevel.Error, "The frame handler failed on a frame from node 'failing'");
        await server.Logs.WaitForAsync(LogLevel.Warning, "Connection with node 'failing'", "the frame handler failed: InvalidOperationException: cannot handle boom");
        await healthyConnection.SendAsync("fine"u8.ToArray());
        await handled.WaitForCountAsync(1);
        Assert.Equal("healthy", Assert.Single(handled.Frames).From);
        Assert.Null(healthyConnection.CloseReason);
    }

    [Fact]
    public async Task A_frame_handler_may_close_its_own_connection_and_wait_for_it()
    {
        var handlerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start(onFrame: async (connection, _) =>
        {
            await connection.CloseAsync("the peer said goodbye");
            handlerDone.SetResult();
        });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        PeerConnection atServer = await server.NextConnectionAsync();

        await connection.SendAsync("goodbye"u8.ToArray());

        await handlerDone.Task.WithDeadline();
        await atServer.Completion.WithDeadline();
        await connection.Completion.WithDeadline();
        Assert.Equal("the peer said goodbye", atServer.CloseReason);
    }

    [Fact]
    public async Task Frames_queued_together_are_flushed_together()
    {
        var near = new TestPeer("near");
        var far = new TestPeer("far");
        (PeerConnection sender, PeerConnection receiver) = await SocketPair.CreateAsync(near.Options, far.Options);
        await using (sender)
        await using (receiver)
        {
            for (int i = 0; i < 100; i++)
            {
                await sender.SendAsync(new byte[100]);
            }

            receiver.Start(far.Frames.Record);
            sender.Start(near.Frames.Record);

            await far.Frames.WaitForCountAsync(100);
            Assert.Equal(1, sender.FlushCount);
        }
    }

    [Fact]
    public async Task Senders_wait_while_the_send_queue_is_full()
    {
        var near = new TestPeer("near", options => options with { SendQueueCapacity = 4 });
        var far = new TestPeer("far");
        (PeerConnection sender, PeerConnection receiver) = await SocketPair.CreateAsync(near.Options, far.Options);
        await using (sender)
        await using (receiver)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.True(sender.SendAsync(new byte[] { (byte)i }).IsCompletedSuccessfully);
            }

            ValueTask waiting = sender.SendAsync(new byte[] { 4 });
            Assert.False(waiting.IsCompleted);

            receiver.Start(far.Frames.Record);
            sender.Start(near.Frames.Record);

            await waiting.AsTask().WithDeadline();
            await far.Frames.WaitForCountAsync(5);
            Assert.Equal(Enumerable.Range(0, 5).Select(i => (byte)i), far.Frames.Frames.Select(frame => frame.Payload[0]));
        }
    }

    [Fact]
    public async Task A_sender_waiting_on_a_full_queue_learns_when_the_connection_closes()
    {
        var near = new TestPeer("near", options => options with { SendQueueCapacity = 1 });
        var far = new TestPeer("far");
        (PeerConnection sender, PeerConnection receiver) = await SocketPair.CreateAsync(near.Options, far.Options);
        await using (receiver)
        {
            await sender.SendAsync(new byte[1]);
            ValueTask waiting = sender.SendAsync(new byte[1]);

            sender.Abort("the test pulled the plug", failure: true);

            var error = await Assert.ThrowsAsync<ConnectionClosedException>(() => waiting.AsTask().WithDeadline());
            Assert.Equal("the test pulled the plug", error.Reason);
            await sender.Completion.WithDeadline();
        }
    }
}
