using System.Buffers;
using MemoryPack;
using Mobility.Events;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Events;

public sealed class EventManagerHostileStateTests
{
    [Fact]
    public async Task A_state_naming_an_unregistered_handler_type_is_refused_without_instantiating_it()
    {
        await using var test = await EventNodes.StartAsync();
        var state = Encode((ref writer) =>
        {
            writer.WriteValue(1);
            writer.WriteString("evil");
            writer.WriteString("Mobility.Tests.Events.UnregisteredHandler");
            writer.WriteValue(new byte[] { 0 });
        });

        var refused = Assert.Throws<InvalidDataException>(() => StateCodec.Read(new EventManager<DoorEvent>(test.Services), state, MemoryPackSerializerOptions.Default));

        Assert.Contains("'Mobility.Tests.Events.UnregisteredHandler', which is not registered", refused.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public async Task A_state_claiming_an_impossible_number_of_handlers_is_refused(int count)
    {
        await using var test = await EventNodes.StartAsync();
        var state = Encode((ref writer) => writer.WriteValue(count));

        Assert.Throws<InvalidDataException>(() => StateCodec.Read(new EventManager<DoorEvent>(test.Services), state, MemoryPackSerializerOptions.Default));
    }

    [Fact]
    public async Task A_state_with_garbage_for_a_registered_handler_is_refused()
    {
        await using var test = await EventNodes.StartAsync();
        var state = Encode((ref writer) =>
        {
            writer.WriteValue(1);
            writer.WriteString("count");
            writer.WriteString("Mobility.Tests.Events.CountingHandler");
            writer.WriteValue(new byte[] { 200, 1, 2, 3 });
        });

        Assert.Throws<InvalidDataException>(() => StateCodec.Read(new EventManager<DoorEvent>(test.Services), state, MemoryPackSerializerOptions.Default));
    }

    [Fact]
    public void An_add_message_without_its_handler_id_is_refused()
    {
        var bytes = Encode((ref writer) => writer.WriteString(null));

        Assert.Throws<InvalidDataException>(() => DecodeAdd(bytes));
    }

    private static void DecodeAdd(byte[] bytes)
    {
        var reader = new MemoryPackReader(bytes, MemoryPackReaderOptionalStatePool.Rent(MemoryPackSerializerOptions.Default));
        try
        {
            ReadMessage<EventManager<DoorEvent>>(EventManagerHandlers.AddHandler, ref reader);
        }
        finally
        {
            reader.Dispose();
        }
    }

    private static ProcessMessage ReadMessage<T>(int handlerId, ref MemoryPackReader reader)
        where T : class, IMobileProcess<T> => T.ReadMessage(handlerId, ref reader);

    private delegate void Write(ref MemoryPackWriter<ArrayBufferWriter<byte>> writer);

    private static byte[] Encode(Write write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var state = MemoryPackWriterOptionalStatePool.Rent(MemoryPackSerializerOptions.Default);
        var writer = new MemoryPackWriter<ArrayBufferWriter<byte>>(ref buffer, state);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
