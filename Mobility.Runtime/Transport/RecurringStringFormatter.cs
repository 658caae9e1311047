using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using MemoryPack;

namespace Mobility.Transport;

/// <summary>
/// Reads a string of an envelope that nearly every message repeats (a process type id, a node name, a sequence
/// origin) without allocating it again: short strings are looked up in a bounded table of those seen before.
/// Written as MemoryPack writes any string; read with the length checks of <see cref="CheckedStringFormatter"/>.
/// </summary>
internal sealed class RecurringStringFormatter : MemoryPackFormatter<string>
{
    private const int MaxLength = 128;   // longer strings are not looked up
    private const int Capacity = 4_096;  // strings kept at most: a peer sending new ones forever cannot grow it
    private const int Utf8Prefix = 2 * sizeof(int); // ~byte count, UTF-16 length

    private static readonly ConcurrentDictionary<string, string> Seen = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SeenByChars =
        Seen.GetAlternateLookup<ReadOnlySpan<char>>();

    private static int s_kept;

    private RecurringStringFormatter()
    {
    }

    /// <summary>The one instance.</summary>
    public static RecurringStringFormatter Instance { get; } = new();

    /// <inheritdoc />
    public override void Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    /// <inheritdoc />
    public override void Deserialize(ref MemoryPackReader reader, scoped ref string? value)
    {
        if (reader.TryPeekCollectionHeader(out var header) && TryReadKnown(ref reader, header, out var known))
        {
            value = known;
            return;
        }

        CheckedStringFormatter.Instance.Deserialize(ref reader, ref value);
    }

    private static bool TryReadKnown(ref MemoryPackReader reader, int header, out string? value)
    {
        value = null;
        int size;
        if (header is >= 0 and <= MaxLength)
        {
            size = sizeof(int) + (2 * header);
            if (size > reader.Remaining)
            {
                return false; // the checked reader reports it
            }

            var bytes = MemoryMarshal.CreateReadOnlySpan(ref reader.GetSpanReference(size), size);
            value = Known(MemoryMarshal.Cast<byte, char>(bytes[sizeof(int)..]));
        }
        else if (header < -1 && ~header <= MaxLength)
        {
            size = Utf8Prefix + ~header;
            if (size > reader.Remaining)
            {
                return false;
            }

            var bytes = MemoryMarshal.CreateReadOnlySpan(ref reader.GetSpanReference(size), size);
            Span<char> utf16 = stackalloc char[MaxLength];
            if (Utf8.ToUtf16(bytes[Utf8Prefix..], utf16, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                return false; // not UTF-8: the checked reader decides
            }

            value = Known(utf16[..written]);
        }
        else
        {
            return false;
        }

        reader.Advance(size);
        return true;
    }

    private static string Known(ReadOnlySpan<char> chars)
    {
        if (SeenByChars.TryGetValue(chars, out var known))
        {
            return known;
        }

        var created = new string(chars);
        if (Volatile.Read(ref s_kept) < Capacity && Seen.TryAdd(created, created))
        {
            Interlocked.Increment(ref s_kept);
        }

        return created;
    }
}

/// <summary>Marks a string member of a wire envelope to be read by <see cref="RecurringStringFormatter"/>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class RecurringStringAttribute : MemoryPackCustomFormatterAttribute<RecurringStringFormatter, string>
{
    /// <inheritdoc />
    public override RecurringStringFormatter GetFormatter() => RecurringStringFormatter.Instance;
}
