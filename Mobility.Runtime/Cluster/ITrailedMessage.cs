using System.Buffers;

namespace Mobility.Cluster;

/// <summary>
/// A cluster message whose frame may carry raw bytes after the encoded message (a migrating process's state, written
/// straight into the frame instead of into an array first).
/// </summary>
internal interface ITrailedMessage : IClusterMessage
{
    /// <summary>The bytes after the message in its frame: valid only while the frame's handler runs.</summary>
    ReadOnlySequence<byte> Trailer { get; }

    /// <summary>The same message, with the bytes that followed it in its frame.</summary>
    ITrailedMessage WithTrailer(ReadOnlySequence<byte> trailer);
}
