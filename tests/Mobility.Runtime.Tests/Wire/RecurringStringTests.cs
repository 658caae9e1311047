using System.Text;
using MemoryPack;
using Mobility.Cluster;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Wire;

/// <summary>The envelope strings nearly every message repeats are read without a new string each time, and just as safely.</summary>
public sealed class RecurringStringTests
{
    [Theory]
    [InlineData("Mobility.Tests.Processes.Counter")]
    [InlineData("ünïcødé — ✓ 🚀")]
    [InlineData("")]
    public void A_short_string_read_twice_is_one_instance_in_both_encodings(string text)
    {
        foreach (var options in new[] { MemoryPackSerializerOptions.Utf8, MemoryPackSerializerOptions.Utf16 })
        {
            var bytes = MemoryPackSerializer.Serialize(Envelope(text), options);

            var first = MemoryPackSerializer.Deserialize<DeliverMessage>(bytes, options)!;
            var second = MemoryPackSerializer.Deserialize<DeliverMessage>(bytes, options)!;

            Assert.Equal(text, first.TypeId);
            Assert.Same(first.TypeId, second.TypeId);
            Assert.Same(first.Origin, second.Origin);
        }
    }

    [Fact]
    public void A_long_string_round_trips_as_a_string_of_its_own()
    {
        var text = new string('x', 1_000);
        var bytes = MemoryPackSerializer.Serialize(Envelope(text));

        var first = MemoryPackSerializer.Deserialize<DeliverMessage>(bytes)!;
        var second = MemoryPackSerializer.Deserialize<DeliverMessage>(bytes)!;

        Assert.Equal(text, first.TypeId);
        Assert.NotSame(first.TypeId, second.TypeId);
    }

    [Fact]
    public async Task Truncated_hostile_or_invalid_strings_are_rejected_as_MemoryPack_rejects_them()
    {
        await using var test = await TestNode.StartAsync(); // installs the checked string formatter the fallback uses
        var bytes = MemoryPackSerializer.Serialize(Envelope("Mobility.Tests.Processes.Counter"));
        var typeIdAt = IndexOf(bytes, Encoding.UTF8.GetBytes("Mobility.Tests.Processes.Counter")) - 8;

        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Deserialize<DeliverMessage>(bytes.AsSpan(0, typeIdAt + 20)));
        var hostile = bytes.ToArray();
        BitConverter.GetBytes(int.MinValue).CopyTo(hostile, typeIdAt);
        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Deserialize<DeliverMessage>(hostile));

        var invalid = bytes.ToArray();
        invalid[typeIdAt + 8] = 0xFF; // not UTF-8: left to the checked reader
        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Deserialize<DeliverMessage>(invalid));
    }

    private static DeliverMessage Envelope(string text) =>
        new(Guid.NewGuid(), text, HandlerId: 7, CallId: 0, ReplyNode: string.Empty, Origin: "a#" + text, Sequence: 1, Arguments: [1, 2, 3], Hops: 0);

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
