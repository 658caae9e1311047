namespace Mobility.Migration;

/// <summary>What became of an offer a destination accepted: its record, kept to answer a source in doubt.</summary>
internal enum OfferOutcome
{
    /// <summary>Held inactive, waiting for its commit.</summary>
    Waiting,

    /// <summary>Committed: the process was activated here (it may have moved on since).</summary>
    Activated,

    /// <summary>Dropped before any commit (aborted, expired, or its source lost): it never ran here.</summary>
    Discarded,
}
