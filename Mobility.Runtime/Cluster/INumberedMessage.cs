namespace Mobility.Cluster;

/// <summary>
/// A cluster message numbered in its sender's stream to one process: 0 until it takes its number, as it is queued on
/// the connection (<see cref="ClusterMembership.SendNumberedAsync(string, INumberedMessage, ISequenceSource, CancellationToken)"/>), so a node's messages leave in their numbers' order.
/// </summary>
internal interface INumberedMessage : IClusterMessage
{
    long Sequence { get; set; }
}
