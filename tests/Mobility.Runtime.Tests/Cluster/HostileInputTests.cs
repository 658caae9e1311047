using System.Net;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Migration;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Registry;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;
using Mobility.Transport;

namespace Mobility.Tests.Cluster;

/// <summary>What an authenticated but broken or hostile peer can send after a valid handshake.</summary>
public sealed class HostileInputTests
{
    private const string Secret = "shared-between-clusters";

    [Fact]
    public async Task Garbage_after_a_valid_handshake_closes_that_connection_with_a_logged_reason_and_the_node_serves_others()
    {
        await using var node = await StartServerAsync();
        var counter = await node.Node.SpawnAsync<Counter>();
        await using var hostile = await LinkAsync(node, "hostile");

        await hostile.SendAsync(new byte[] { 0x02, 0x13, 0x37, 0x00, 0x42 }); // a Deliver tag, then nonsense

        await hostile.Completion.WithDeadline();
        await Wait.UntilAsync(
            () => node.Logs.Entries.Any(entry => entry.Level >= LogLevel.Warning && entry.Message.Contains("'hostile'") && entry.Message.Contains("could not be decoded")),
            "the reason is logged");
        Assert.Equal(1, await counter.IncrementAsync(1));
        await using var honest = await LinkAsync(node, "honest");
        Assert.False(honest.Completion.IsCompleted);
    }

    [Fact]
    public async Task Well_formed_but_wrong_requests_are_answered_or_refused_never_obeyed()
    {
        await using var node = await StartServerAsync();
        var answers = new List<IClusterMessage>();
        await using var peer = await LinkAsync(node, "prober", answers);

        await Send(peer, new OfferMessage(1, Guid.NewGuid(), "Evil.Payload", "prober", [1, 2, 3], [], [], [], []));
        await Send(peer, new OfferMessage(2, Guid.NewGuid(), "Mobility.Tests.Processes.Counter", "prober", [0xFF, 0xFF], [], [], [], []));
        await Send(peer, new DeliverMessage(Guid.NewGuid(), "Mobility.Tests.Processes.Counter", 12345, 7, "prober", "x#1", 1, [], 0));
        await Send(peer, new NameClaimMessage(3, "stolen", Guid.NewGuid(), "Mobility.Tests.Processes.Counter", "prober"));

        await Wait.UntilAsync(() => { lock (answers) { return answers.Count >= 3; } }, "the node answered the offers and the call");
        lock (answers)
        {
            var refusals = answers.OfType<AnswerMessage>().ToList();
            Assert.Contains(refusals, answer => answer is { RequestId: 1, Ok: false } && answer.Reason!.Contains("not registered"));
            Assert.Contains(refusals, answer => answer is { RequestId: 2, Ok: false } && answer.Reason!.Contains("could not be restored"));
            Assert.Contains(answers.OfType<ReplyMessage>(), reply => reply is { CallId: 7, Status: ReplyStatus.NotFound }); // an id it does not know: not found (not "stopped")
            Assert.DoesNotContain(refusals, answer => answer.RequestId == 3); // directory requests are for members only
        }

        Assert.Null(await node.Node.WhereIsAsync<Counter>("stolen"));
        Assert.False(peer.Completion.IsCompleted);
    }

    [Fact]
    public async Task Arguments_cut_short_or_sent_twice_in_their_frame_fail_that_call_and_the_connection_stays_open()
    {
        await using var node = await StartServerAsync();
        var counter = await node.Node.SpawnAsync<Counter>();
        var answers = new List<IClusterMessage>();
        await using var peer = await LinkAsync(node, "prober", answers);

        // The arguments follow the message in its frame; each call has its own origin, so none waits for another's number.
        await peer.SendAsync(Framed(Increment(counter, callId: 7, origin: "p#1", []), [5, 0])); // an int cut short
        await peer.SendAsync(Framed(Increment(counter, callId: 8, origin: "p#2", [5, 0, 0, 0]), [5, 0, 0, 0])); // in the message and after it
        await peer.SendAsync(Framed(Increment(counter, callId: 9, origin: "p#3", []), [5, 0, 0, 0]));

        await Wait.UntilAsync(() => { lock (answers) { return answers.OfType<ReplyMessage>().Count() >= 3; } }, "the node answered the three calls");
        lock (answers)
        {
            var replies = answers.OfType<ReplyMessage>().ToDictionary(reply => reply.CallId);
            Assert.Equal(ReplyStatus.Failed, replies[7].Status);
            Assert.Contains("could not be decoded", replies[7].ErrorMessage);
            Assert.Equal(ReplyStatus.Failed, replies[8].Status);
            Assert.Contains("more bytes after it", replies[8].ErrorMessage);
            Assert.Equal(ReplyStatus.Ok, replies[9].Status);
        }

        Assert.Equal(6, await counter.IncrementAsync(1)); // only the well-formed call ran
        Assert.False(peer.Completion.IsCompleted);
    }

    /// <summary>
    /// A bounded, seeded fuzz: random frames and mutations of valid ones, each on an authenticated link. The node
    /// never falls over, never spawns anything, and keeps serving its processes and new connections.
    /// </summary>
    [Fact]
    public async Task Seeded_random_and_mutated_frames_never_take_the_node_down()
    {
        const int Inputs = 300;
        await using var node = await StartServerAsync();
        var counter = await node.Node.SpawnAsync<Counter>();
        var random = new Random(20261125);
        byte[][] valid =
        [
            Serialize(new DeliverMessage(counter.Id.ToGuid(), counter.TypeId, 1, 0, "", "fuzz#1", 1, [1, 0, 0, 0], 0)),
            Serialize(new OfferMessage(1, Guid.NewGuid(), counter.TypeId, "fuzz", [1, 2, 3, 4], ["n"], [], [new ExpectedSequence("o", 1)], [])),
            Serialize(new ReplyMessage(99, ReplyStatus.Ok, [1, 2], null, null)),
            Serialize(new MovedMessage(Guid.NewGuid(), "tcp://127.0.0.1:1")),
            Serialize(new CommitMessage(5, Guid.NewGuid())),
        ];

        var link = await LinkAsync(node, "fuzz");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var i = 0; i < Inputs && DateTime.UtcNow < deadline; i++)
        {
            byte[] frame;
            if (random.Next(3) == 0)
            {
                frame = new byte[random.Next(0, 512)];
                random.NextBytes(frame);
            }
            else
            {
                frame = (byte[])valid[random.Next(valid.Length)].Clone();
                for (var flips = random.Next(1, 6); flips > 0 && frame.Length > 0; flips--)
                {
                    frame[random.Next(frame.Length)] = (byte)random.Next(256);
                }
            }

            if (link.Completion.IsCompleted)
            {
                await link.DisposeAsync();
                link = await LinkAsync(node, $"fuzz{i}");
            }

            try
            {
                await link.SendAsync(frame);
            }
            catch (ConnectionClosedException)
            {
                // Closed by the node while we were sending: the next input opens a new link.
            }
        }

        await link.DisposeAsync();
        Assert.Equal(1, await counter.IncrementAsync(1));
        Assert.Empty(node.Node.Nodes); // links are never members
        await using var honest = await LinkAsync(node, "after-the-fuzz");
        Assert.False(honest.Completion.IsCompleted);
    }

    private static Task<TestNode> StartServerAsync() =>
        TestNode.StartAsync(options =>
        {
            options.NodeName = "target";
            options.Cookie = "its-own-cluster";
            options.MigrationSecret = Secret;
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
        });

    private static Task<PeerConnection> LinkAsync(TestNode node, string name, List<IClusterMessage>? received = null) =>
        TransportConnector.ConnectAsync(
            node.Node.LocalEndPoint!,
            new TransportOptions { Cookie = Secret, NodeName = name },
            ConnectionPurpose.Migration,
            (_, frame) =>
            {
                if (received is not null && MemoryPackSerializer.Deserialize<IClusterMessage>(frame) is { } message and not HeartbeatMessage)
                {
                    lock (received)
                    {
                        received.Add(message);
                    }
                }

                return ValueTask.CompletedTask;
            });

    private static ValueTask Send(PeerConnection connection, IClusterMessage message) => connection.SendAsync(Serialize(message));

    /// <summary>A call of <c>Counter.Increment(int)</c> (handler ids are FNV-1a of the signature, see HandlerIdTests).</summary>
    private static DeliverMessage Increment(ProcessRef<Counter> counter, long callId, string origin, byte[] arguments) =>
        new(counter.Id.ToGuid(), counter.TypeId, HandlerId: 1588403222, callId, "prober", origin, Sequence: 1, arguments, Hops: 0);

    /// <summary>A frame: the message, then the bytes that follow it.</summary>
    private static byte[] Framed(IClusterMessage message, byte[] trailer) => [.. Serialize(message), .. trailer];

    private static byte[] Serialize(IClusterMessage message) => MemoryPackSerializer.Serialize(message);
}
