using MemoryPack;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// Encodes a <see cref="ProcessRef{T}"/> as its id, type id and node hint. On decode, the reference
/// is bound to the node whose serializer options are in use (<see cref="RouterServiceProvider"/>).
/// </summary>
internal sealed class ProcessRefFormatter<T> : MemoryPackFormatter<ProcessRef<T>>
    where T : class, IMobileProcess<T>
{
    private const byte MemberCount = 3;

    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref ProcessRef<T>? value) =>
        Write(ref writer, value);

    public override void Deserialize(ref MemoryPackReader reader, scoped ref ProcessRef<T>? value) =>
        value = Read(ref reader);

    internal static void Write<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, ProcessRef<T>? value)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(MemberCount);
        var id = value.Id.ToGuid();
        writer.WriteUnmanaged(id);
        writer.WriteValue(value.TypeId);
        writer.WriteValue(value.NodeHint);
    }

    internal static ProcessRef<T>? Read(ref MemoryPackReader reader)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            return null;
        }

        if (count != MemberCount)
        {
            throw new MemoryPackSerializationException($"A ProcessRef is encoded with {MemberCount} members, not {count}.");
        }

        var id = ProcessId.FromGuid(reader.ReadUnmanaged<Guid>());
        var typeId = reader.ReadValue<string>();
        var nodeHint = reader.ReadValue<string>() ?? string.Empty;
        if (!string.Equals(typeId, T.TypeId, StringComparison.Ordinal))
        {
            throw new MemoryPackSerializationException(
                $"The encoded reference is to a process of type '{typeId}', which cannot be read as a ProcessRef<{typeof(T).Name}> ('{T.TypeId}').");
        }

        return new ProcessRef<T>(id, nodeHint, RouterServiceProvider.RouterOf(reader.Options));
    }
}
