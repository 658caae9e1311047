using MemoryPack;
using Mobility.Transport;

namespace Mobility.Cluster;

// Request and answer: any subsystem asks with an IClusterRequest; ClusterRequests completes it with the AnswerMessage.
// Their union tags are frozen in Cluster/ClusterProtocol.cs: a new message takes the next free tag there.

/// <summary>A request that expects one <see cref="AnswerMessage"/> with the same <see cref="RequestId"/>.</summary>
internal interface IClusterRequest : IClusterMessage
{
    long RequestId { get; }
}

/// <summary>
/// The answer to any <see cref="IClusterRequest"/>: <paramref name="Ok"/>, plus a process and its type and node
/// where the request asked for one, or the reason of a refusal.
/// </summary>
[MemoryPackable]
internal sealed partial record AnswerMessage(
    long RequestId,
    bool Ok,
    Guid Process,
    [property: CheckedString] string? TypeId,
    [property: CheckedString] string? Node,
    [property: CheckedString] string? Reason) : IClusterMessage;
