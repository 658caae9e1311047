namespace Mobility.Processes;

/// <summary>What <see cref="SequenceAdmission{TMessage}.Admit"/> decided for a message.</summary>
internal enum AdmissionOutcome
{
    /// <summary>Its turn (or not sequenced): it runs now.</summary>
    Admitted,

    /// <summary>Its turn, and it filled a gap: it runs now, then the held messages it released, in order.</summary>
    AdmittedReleasing,

    /// <summary>Early: kept until the numbers before it have come (or their gap is skipped).</summary>
    Held,

    /// <summary>Its number was admitted already: a duplicate, dropped.</summary>
    Duplicate,

    /// <summary>A message of its number is held already: a second copy, dropped.</summary>
    DuplicateOfHeld,
}
