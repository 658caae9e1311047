namespace Mobility.Cluster;

/// <summary>Where a node's messages to one process take their numbers from (the node's stream to that process).</summary>
internal interface ISequenceSource
{
    /// <summary>Takes the next number.</summary>
    long NextSequence();

    /// <summary>
    /// Gives back <paramref name="number"/>, taken for a message that could not be written and so never left: it is
    /// taken again by the next message, unless a later number was taken meanwhile (then the gap
    /// stays, and the receiver skips it after its gap timeout).
    /// </summary>
    void GiveBack(long number);
}
