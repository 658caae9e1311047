using System.Buffers;
using MemoryPack;
using Mobility.Processes;

namespace Mobility.Tests.Wire;

/// <summary>A call's result is read straight out of the reply's frame: bytes from another node, so anything may be wrong with them.</summary>
public sealed class ResultDecodingTests
{
    private static readonly MemoryPackSerializerOptions Options = MemoryPackSerializerOptions.Default;

    [Fact]
    public void A_result_that_fills_its_bytes_exactly_is_read()
    {
        var bytes = MemoryPackSerializer.Serialize(123_456_789_012L);

        Assert.Equal(123_456_789_012L, WireCodec.DecodeResult<long>(new ReadOnlySequence<byte>(bytes), Options));
    }

    [Fact]
    public void A_result_cut_short_followed_by_more_bytes_or_hostile_is_invalid_data_never_another_exception()
    {
        var bytes = MemoryPackSerializer.Serialize(123_456_789_012L);

        Assert.Throws<InvalidDataException>(() => WireCodec.DecodeResult<long>(new ReadOnlySequence<byte>(bytes[..5]), Options));
        Assert.Throws<InvalidDataException>(() => WireCodec.DecodeResult<long>(new ReadOnlySequence<byte>([.. bytes, 0]), Options));
        Assert.Throws<InvalidDataException>(() => WireCodec.DecodeResult<List<long>>(new ReadOnlySequence<byte>([0xFF, 0xFF, 0xFF, 0x7F, 1]), Options));
    }
}
