namespace Mobility.Cluster;

/// <summary>Where a node's messages to one process take their numbers from (the node's stream to that process).</summary>
internal interface ISequenceSource
{
    /// <summary>Takes the next number.</summary>
    long NextSequence();
}
