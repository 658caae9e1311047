namespace Mobility.Migration;

/// <summary>The named steps of a move at its source (see <see cref="MigrationCoordinator.OnStep"/>).</summary>
internal enum MigrationStep
{
    /// <summary>The destination accepted the offer: it holds the process inactive.</summary>
    OfferAccepted,

    /// <summary>The directory points at the destination; the commit is about to leave.</summary>
    DirectoryPointed,

    /// <summary>The destination confirmed the commit; the source forwards from now on.</summary>
    Committed,
}
