using System.Buffers;
using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class ProcessRefTests
{
    [Fact]
    public async Task References_are_equal_when_they_name_the_same_process()
    {
        await using var test = await TestNode.StartAsync();
        var first = await test.Node.SpawnAsync<Counter>();
        var second = await test.Node.SpawnAsync<Counter>();

        Assert.Equal(first, first.WithCallTimeout(TimeSpan.FromSeconds(1)));
        Assert.Equal(first.GetHashCode(), first.WithCallTimeout(TimeSpan.FromSeconds(1)).GetHashCode());
        Assert.NotEqual(first, second);
        Assert.Equal(Math.Sign(first.Id.CompareTo(second.Id)), Math.Sign(first.CompareTo(second)));
        Assert.StartsWith("Mobility.Tests.Processes.Counter#", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reference_decoded_with_a_nodes_options_reaches_the_process()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        var bytes = MemoryPackSerializer.Serialize(counter);
        var decoded = MemoryPackSerializer.Deserialize<ProcessRef<Counter>>(bytes, RouterServiceProvider.OptionsFor(test.Node.Router));

        Assert.Equal(counter, decoded);
        Assert.Equal(3, await decoded!.IncrementAsync(3));
    }

    [Fact]
    public async Task A_reference_decoded_without_a_node_says_so_when_used()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        var decoded = MemoryPackSerializer.Deserialize<ProcessRef<Counter>>(MemoryPackSerializer.Serialize(counter))!;

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => decoded.IncrementAsync(1).AsTask());
        Assert.Contains("not bound to a node", exception.Message);
    }

    [Fact]
    public async Task A_reference_cannot_be_decoded_as_another_process_type()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        var exception = Assert.Throws<MemoryPackSerializationException>(
            () => MemoryPackSerializer.Deserialize<ProcessRef<Recorder>>(MemoryPackSerializer.Serialize(counter)));

        Assert.Contains("Mobility.Tests.Processes.Counter", exception.Message);
    }

    [Fact]
    public async Task Generated_messages_survive_encoding_and_are_handled_after_decoding()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        var capture = new CapturingRouter();
        var offline = new ProcessRef<Counter>(counter.Id, "nowhere", capture);

        _ = offline.IncrementAsync(5);
        offline.Reset();
        _ = offline.IncrementAsync(2);
        _ = offline.RenameAsync("decoded");

        IProcessRouter router = test.Node.Router;
        foreach (var envelope in capture.Posted)
        {
            router.Post(counter, envelope with { Message = RoundTrip(envelope.Message) });
        }

        Assert.Equal("decoded: 2 [+5 reset +2]", await counter.DescribeAsync());
    }

    private static ProcessMessage RoundTrip(ProcessMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var state = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Default))
        {
            var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
            message.WriteArguments(ref writer);
            writer.Flush();
        }

        using var readerState = MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Default);
        var reader = new MemoryPackReader(buffer.WrittenSpan, readerState);
        var decoded = ProcessType.Of<Counter>().ReadMessage(message.HandlerId, ref reader);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(message.GetType(), decoded.GetType());
        return decoded;
    }

    private sealed class CapturingRouter : IProcessRouter
    {
        public List<Envelope> Posted { get; } = [];

        public string NodeName => "nowhere";

        public TimeSpan DefaultCallTimeout => Timeout.InfiniteTimeSpan;

        public TimeSpan MigrationTimeout => Timeout.InfiniteTimeSpan;

        public void Post(ProcessRef target, Envelope envelope) => Posted.Add(envelope);

        public void Withdraw(CallReply reply)
        {
        }
    }
}
