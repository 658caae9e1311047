using System.Text;
using MemoryPack;

namespace Mobility.Transport;

/// <summary>
/// Encodes a string of a handshake message as a MemoryPack byte array of strict UTF-8.
/// </summary>
/// <remarks>
/// Handshake messages come from unauthenticated peers. MemoryPack 1.21.4's own string reader trusts a
/// length of <see cref="int.MinValue"/> and reads far past the buffer (the process dies with an
/// <see cref="AccessViolationException"/>), so strings here go through MemoryPack's byte-array reader
/// instead, which checks every length against the bytes actually present.
/// </remarks>
internal sealed class WireStringFormatter : MemoryPackFormatter<string>
{
    /// <summary>The one instance.</summary>
    public static readonly WireStringFormatter Instance = new();

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc />
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref string? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteUnmanagedArray(StrictUtf8.GetBytes(value));
    }

    /// <inheritdoc />
    public override void Deserialize(ref MemoryPackReader reader, scoped ref string? value)
    {
        byte[]? bytes = reader.ReadUnmanagedArray<byte>();
        try
        {
            value = bytes is null ? null : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MemoryPackSerializationException($"A handshake string is not valid UTF-8: {e.Message}");
        }
    }
}

/// <summary>Marks a string member of a handshake message to be encoded by <see cref="WireStringFormatter"/>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class WireStringAttribute : MemoryPackCustomFormatterAttribute<WireStringFormatter, string>
{
    /// <inheritdoc />
    public override WireStringFormatter GetFormatter() => WireStringFormatter.Instance;
}
