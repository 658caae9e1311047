using System.Net;
using System.Reflection;
using MemberInfo = Mobility.Cluster.MemberInfo;
using MemoryPack;
using Mobility.Cluster;
using Mobility.Migration;
using Mobility.Monitoring;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Registry;
using Mobility.Tests.Support;

namespace Mobility.Tests.Wire;

/// <summary>
/// The cluster protocol's union tags are frozen (Cluster/ClusterProtocol.cs): each message type keeps its number on
/// the wire forever, and every message type has a subsystem that handles it.
/// </summary>
public sealed class ClusterProtocolTagsTests
{
    /// <summary>The wire protocol: one sample of each message under the tag it was given. Add a line, never edit one.</summary>
    private static readonly (byte Tag, IClusterMessage Sample)[] Frozen =
    [
        (0, new MembersMessage([new MemberInfo("a", "127.0.0.1", 1805)])),
        (1, new HeartbeatMessage()),
        (2, new DeliverMessage(Guid.NewGuid(), "Type", 1, 2, "a", "a#1", 3, [1, 2], 0)),
        (3, new ReplyMessage(2, ReplyStatus.Ok, [1], null, null)),
        (4, new MovedMessage(Guid.NewGuid(), "b")),
        (5, new DirectorySetMessage(1, Guid.NewGuid(), "a", 1)),
        (6, new DirectoryLookupMessage(1, Guid.NewGuid())),
        (7, new DirectoryRemoveMessage(Guid.NewGuid(), "a")),
        (8, new NameClaimMessage(1, "name", Guid.NewGuid(), "Type", "a")),
        (9, new NameLookupMessage(1, "name")),
        (10, new NameReleaseMessage("name", Guid.NewGuid())),
        (11, new AnswerMessage(1, true, Guid.NewGuid(), "Type", "a", null)),
        (12, new OfferMessage(1, Guid.NewGuid(), "Type", "a", [1], ["name"], [new TimerInfo(1, 2, 3, [4])], [new ExpectedSequence("a#1", 1)], [])),
        (13, new CommitMessage(1, Guid.NewGuid())),
        (14, new AbortMessage(Guid.NewGuid())),
        (15, new GoneMessage(Guid.NewGuid())),
        (16, new WatchMessage(Guid.NewGuid())),
        (17, new MonitorDownMessage("a", Guid.NewGuid(), Guid.NewGuid(), ExitReason.Exception, "Error", "message")),
        (18, new MonitorMovedMessage("a", Guid.NewGuid(), Guid.NewGuid(), "b", 2)),
        (19, new OutcomeQueryMessage(1, Guid.NewGuid(), 2)),
    ];

    [Fact]
    public void Every_message_is_written_under_its_frozen_tag_and_read_back_as_its_type()
    {
        var wrong = new List<string>();
        foreach (var (tag, sample) in Frozen)
        {
            var bytes = MemoryPackSerializer.Serialize(sample);
            if (bytes[0] != tag)
            {
                wrong.Add($"{sample.GetType().Name} is written with tag {bytes[0]}, frozen as {tag}");
            }

            if (MemoryPackSerializer.Deserialize<IClusterMessage>(bytes)?.GetType() != sample.GetType())
            {
                wrong.Add($"tag {tag} is not read back as {sample.GetType().Name}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void The_union_declares_exactly_the_frozen_tags()
    {
        var declared = typeof(IClusterMessage).GetCustomAttributes<MemoryPackUnionAttribute>()
            .OrderBy(union => union.Tag)
            .Select(union => $"{union.Tag}: {union.Type.Name}");
        var frozen = Frozen.OrderBy(entry => entry.Tag).Select(entry => $"{entry.Tag}: {entry.Sample.GetType().Name}");

        Assert.Equal(frozen, declared);
    }

    [Fact]
    public void Every_message_type_of_the_runtime_is_in_the_union()
    {
        var union = typeof(IClusterMessage).GetCustomAttributes<MemoryPackUnionAttribute>().Select(tag => tag.Type).ToHashSet();

        Assert.Empty(ConcreteMessageTypes().Where(type => !union.Contains(type)).Select(type => type.Name));
    }

    [Fact]
    public async Task Every_message_type_of_the_runtime_has_a_handler_on_a_started_node()
    {
        await using var test = await TestNode.StartAsync(options =>
        {
            options.Cookie = TestCluster.Cookie;
            options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
        });
        var dispatcher = test.Node.Context.Membership!.Dispatcher;

        var types = ConcreteMessageTypes().ToList();

        Assert.Equal(Frozen.Length, types.Count);
        Assert.Empty(types.Where(type => !dispatcher.Handles(type)).Select(type => type.Name));
    }

    private static IEnumerable<Type> ConcreteMessageTypes() =>
        typeof(IClusterMessage).Assembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsInterface: false } && type.IsAssignableTo(typeof(IClusterMessage)));
}
