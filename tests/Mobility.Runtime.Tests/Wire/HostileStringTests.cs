using MemoryPack;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Wire;

public sealed class HostileStringTests
{
    /// <summary>
    /// Without the node's checked string formatter, MemoryPack 1.21.4 reads ~2 GiB past these bytes
    /// and the test process dies with an AccessViolationException.
    /// </summary>
    [Fact]
    public async Task A_string_with_a_hostile_length_is_rejected_not_fatal()
    {
        await using var test = await TestNode.StartAsync();
        var hostile = new byte[80];
        BitConverter.GetBytes(int.MinValue).CopyTo(hostile, 0);

        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Deserialize<string>(hostile));
        Assert.Throws<MemoryPackSerializationException>(() => MemoryPackSerializer.Deserialize<List<string>>([1, 0, 0, 0, .. hostile]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("ünïcødé — ✓ 🚀")]
    public async Task Strings_still_round_trip(string text)
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.RenameAsync(text);
        var snapshot = await test.Node.SnapshotAsync(counter);

        var restored = (ProcessRef<Counter>)await test.Node.RestoreAsync(snapshot, ProcessId.New(), arrival: null);

        Assert.StartsWith($"{text}: 0", await restored.DescribeAsync(), StringComparison.Ordinal);
        Assert.Equal(text, MemoryPackSerializer.Deserialize<string>(MemoryPackSerializer.Serialize(text)));
        Assert.Null(MemoryPackSerializer.Deserialize<string>(MemoryPackSerializer.Serialize<string?>(null)));
    }
}
