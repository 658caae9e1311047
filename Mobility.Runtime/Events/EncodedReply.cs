using MemoryPack;

namespace Mobility.Events;

/// <summary>
/// A reply already encoded by the event handler that answered a call from another node: written as its bytes,
/// exactly, so the caller decodes it as the reply type it expects.
/// </summary>
internal sealed class EncodedReply(byte[] bytes) : IMemoryPackable<EncodedReply>
{
    public byte[] Bytes { get; } = bytes;

    static void IMemoryPackFormatterRegister.RegisterFormatter()
    {
        if (!MemoryPackFormatterProvider.IsRegistered<EncodedReply>())
        {
            MemoryPackFormatterProvider.Register(new Formatter());
        }
    }

    static void IMemoryPackable<EncodedReply>.Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref EncodedReply? value) =>
        Write(ref writer, value);

    static void IMemoryPackable<EncodedReply>.Deserialize(ref MemoryPackReader reader, scoped ref EncodedReply? value) =>
        throw Unreadable();

    private static void Write<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, EncodedReply? value)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        var bytes = value?.Bytes ?? throw new ArgumentNullException(nameof(value), "An encoded reply cannot be null.");
        if (bytes.Length == 0)
        {
            return;
        }

        ref var destination = ref writer.GetSpanReference(bytes.Length);
        bytes.CopyTo(System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref destination, bytes.Length));
        writer.Advance(bytes.Length);
    }

    private static NotSupportedException Unreadable() =>
        new("An encoded event handler reply is only ever written; the caller decodes it as its own reply type.");

    private sealed class Formatter : MemoryPackFormatter<EncodedReply>
    {
        public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref EncodedReply? value) =>
            Write(ref writer, value);

        public override void Deserialize(ref MemoryPackReader reader, scoped ref EncodedReply? value) => throw Unreadable();
    }
}
