namespace Mobility.Cluster;

/// <summary>
/// A cluster message whose frame may carry raw bytes after the encoded message — a migrating process's state, a
/// message's arguments, a call's result — written straight into the frame instead of into an array first
/// (<see cref="ClusterMembership.SendAsync{TTrailer}(string, ITrailedMessage, TTrailer, System.Action{TTrailer, System.Buffers.IBufferWriter{byte}}, System.Threading.CancellationToken)"/>).
/// </summary>
/// <remarks>
/// The receiver gets those bytes as the trailer of its handler
/// (<see cref="ClusterDispatcher.InlineTrailed{TMessage}(System.Action{Peer, TMessage, System.Buffers.ReadOnlySequence{byte}}, ClusterDispatcher.Senders)"/>):
/// they are the frame's memory, valid only while that inline handler runs, so the message never holds them.
/// </remarks>
internal interface ITrailedMessage : IClusterMessage;
