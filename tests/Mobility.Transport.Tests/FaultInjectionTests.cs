using Mobility.Transport.Faults;
using Mobility.Transport.Tests.Support;

namespace Mobility.Transport.Tests;

/// <summary>The test-only fault seam: what each fault does to the frames and connections of one pair of nodes.</summary>
public sealed class FaultInjectionTests
{
    private readonly FaultInjector _faults = new();

    [Fact]
    public async Task Frames_into_a_blackhole_wait_there_and_arrive_in_order_once_healed()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        byte[] large = new byte[512 * 1024]; // read straight from the socket, past the pipe: held all the same
        large[^1] = 1;
        _faults.Link("client", "server").Blackhole();

        await connection.SendAsync(large);
        await connection.SendAsync("second"u8.ToArray());
        await connection.SendAsync("third"u8.ToArray());
        await Wait.UntilAsync(() => _faults.Counters.FramesHeld == 1, "the first frame is held");
        Assert.Equal(0, server.Frames.Count);

        _faults.Link("client", "server").Heal();

        await server.Frames.WaitForCountAsync(3);
        Assert.Collection(
            server.Frames.Frames,
            first => Assert.Equal(large, first.Payload),
            second => Assert.Equal("second"u8.ToArray(), second.Payload),
            third => Assert.Equal("third"u8.ToArray(), third.Payload));
    }

    [Fact]
    public async Task A_blackhole_holds_one_direction_only()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        var client = new TestPeer(configure: options => options with { Faults = _faults });
        await using PeerConnection connection = await client.ConnectAsync(server);
        PeerConnection accepted = await server.NextConnectionAsync();
        _faults.Link("client", "server").Blackhole();

        await connection.SendAsync("held"u8.ToArray());
        await accepted.SendAsync("passes"u8.ToArray());

        await client.Frames.WaitForCountAsync(1);
        await Wait.UntilAsync(() => _faults.Counters.FramesHeld == 1, "the client's frame is held");
        Assert.Equal(0, server.Frames.Count);
    }

    [Fact]
    public async Task A_frame_held_when_its_connection_closes_is_lost()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        PeerConnection accepted = await server.NextConnectionAsync();
        _faults.Partition("client", "server");
        await connection.SendAsync("never"u8.ToArray());
        await Wait.UntilAsync(() => _faults.Counters.FramesHeld == 1, "the frame is held");

        await accepted.CloseAsync("the test closes it").WithDeadline();
        _faults.HealAll();

        Assert.Equal(1, _faults.Counters.FramesLost);
        Assert.Equal(0, server.Frames.Count);
    }

    [Fact]
    public async Task A_partitioned_pair_cannot_open_a_connection_until_it_is_healed()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        var client = new TestPeer(configure: options => options with { Faults = _faults });
        _faults.Link("server", "client").Blackhole(); // one way is enough: TCP needs both

        var refused = await Assert.ThrowsAsync<PeerUnreachableException>(() => client.ConnectAsync(server));

        Assert.Contains("partitioned", refused.Reason);
        await Wait.UntilAsync(() => _faults.Counters.ConnectionsRefused == 2, "both ends refused the connection");
        Assert.False(server.HasUntakenConnection);
        _faults.Heal("client", "server");
        await using PeerConnection connection = await client.ConnectAsync(server);
        await connection.SendAsync("after the heal"u8.ToArray());
        await server.Frames.WaitForCountAsync(1);
    }

    [Fact]
    public async Task Drop_after_lets_that_many_bytes_through_then_cuts_the_connection()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        PeerConnection accepted = await server.NextConnectionAsync();
        byte[] frame = new byte[100];
        _faults.Link("client", "server").DropAfter(2 * (FrameCodec.HeaderSize + frame.Length));

        for (int i = 0; i < 3; i++)
        {
            await connection.SendAsync(frame);
        }

        await accepted.Completion.WithDeadline();
        Assert.Contains("fault injection cut the connection", accepted.CloseReason);
        Assert.Equal(2, server.Frames.Count);
        await connection.Completion.WithDeadline();
        Assert.Equal(1, _faults.Counters.ConnectionsCut);
    }

    [Fact]
    public async Task Abort_closes_both_ends_of_every_connection_between_the_pair()
    {
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer(configure: options => options with { Faults = _faults }).ConnectAsync(server);
        PeerConnection accepted = await server.NextConnectionAsync();

        int aborted = _faults.Abort("server", "client");

        Assert.Equal(2, aborted);
        await Task.WhenAll(connection.Completion, accepted.Completion).WithDeadline();
        Assert.Contains("fault injection aborted", connection.CloseReason); // the client's end closes first
        Assert.Equal(2, _faults.Counters.ConnectionsCut);
        await server.AssertServesAGoodClientAsync();
    }

    [Fact]
    public async Task A_delay_holds_each_frame_at_least_that_long()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        _faults.Link("client", "server").Delay(delay);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await connection.SendAsync("late"u8.ToArray());
        await server.Frames.WaitForCountAsync(1);

        Assert.True(clock.Elapsed >= delay * 0.95, $"delivered after {clock.Elapsed.TotalMilliseconds} ms, delay {delay.TotalMilliseconds} ms");
        Assert.Equal(1, _faults.Counters.FramesDelayed);
    }

    [Fact]
    public async Task A_throttle_spreads_frames_over_the_time_their_bytes_take()
    {
        const int BytesPerSecond = 100_000;
        await using var server = TestServer.Start(options => options with { Faults = _faults });
        await using PeerConnection connection = await new TestPeer().ConnectAsync(server);
        _faults.Link("client", "server").Throttle(BytesPerSecond);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (int i = 0; i < 5; i++)
        {
            await connection.SendAsync(new byte[10_000]);
        }

        await server.Frames.WaitForCountAsync(5);
        var least = TimeSpan.FromSeconds(5 * 10_000.0 / BytesPerSecond);
        Assert.True(clock.Elapsed >= least * 0.95, $"50 kB through {BytesPerSecond} B/s took {clock.Elapsed.TotalMilliseconds} ms");
    }
}
