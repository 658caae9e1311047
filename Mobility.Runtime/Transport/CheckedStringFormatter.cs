using MemoryPack;

namespace Mobility.Transport;

/// <summary>
/// MemoryPack's own string encoding, read with every length checked against the bytes present
/// before MemoryPack's reader sees it.
/// </summary>
/// <remarks>
/// MemoryPack 1.21.4 trusts the length of a UTF-8 string: a header of <see cref="int.MinValue"/>
/// followed by a non-positive UTF-16 length makes it decode about 2 GiB past the buffer, and the
/// process dies with an uncatchable <see cref="AccessViolationException"/>. Every node installs this
/// formatter for <see cref="string"/> (<see cref="Install"/>), which covers strings read through
/// <c>ReadValue&lt;string&gt;</c>: generated message and state code, collections of strings, and
/// the runtime's own envelopes. Strings read by the generated code of a user's <c>[MemoryPackable]</c>
/// type call MemoryPack's reader directly and are not covered; only authenticated peers can send them.
/// </remarks>
internal sealed class CheckedStringFormatter : MemoryPackFormatter<string>
{
    private const int NullHeader = -1;

    private CheckedStringFormatter()
    {
    }

    /// <summary>The one instance.</summary>
    public static CheckedStringFormatter Instance { get; } = new();

    /// <summary>Makes this formatter the one MemoryPack uses for strings in this process.</summary>
    public static void Install() => MemoryPackFormatterProvider.Register(Instance);

    /// <inheritdoc />
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    /// <inheritdoc />
    public override void Deserialize(ref MemoryPackReader reader, scoped ref string? value)
    {
        if (!reader.TryPeekCollectionHeader(out var header))
        {
            value = null;
            reader.Advance(sizeof(int));
            return;
        }

        long needed = header switch
        {
            >= 0 => sizeof(int) + (2L * header),                    // UTF-16: header + chars
            NullHeader => sizeof(int),
            _ => sizeof(int) + sizeof(int) + (long)~header,       // UTF-8: ~byte count, UTF-16 length, bytes
        };
        if (needed > reader.Remaining)
        {
            throw new MemoryPackSerializationException(
                $"A string announces {needed} bytes but only {reader.Remaining} remain: the input is truncated or hostile.");
        }

        value = reader.ReadString();
    }
}
