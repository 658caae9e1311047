using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// The loop's side of sequence admission: <see cref="SequenceAdmission{TMessage}"/> decides which messages run and
/// when; here an admitted message loses its sequence (so a capture taken before it runs does not count it twice),
/// released ones join the ready queue, and dropped duplicates and skipped gaps are logged.
/// </summary>
internal sealed partial class LocalProcess
{
    // Created with the first sequenced message: an idle process has none.
    private SequenceAdmission<Envelope>? _admission;

    private SequenceAdmission<Envelope> Admission =>
        _admission ??= new SequenceAdmission<Envelope>(TickCountTime.Instance, _host.SequenceGapTimeout);

    /// <summary>
    /// Lets a message through if it is the next of its origin (or not sequenced); holds it back if an earlier
    /// one is missing; drops it if it was handled already. Admitted messages lose their sequence, so a capture
    /// taken before they run does not count them twice.
    /// </summary>
    private bool Admit(ref Envelope envelope)
    {
        if (envelope is not { Origin: { } origin, Sequence: not 0 and var sequence })
        {
            return true;
        }

        switch (Admission.Admit(origin, sequence, envelope))
        {
            case AdmissionOutcome.Admitted:
                envelope = envelope.Admitted;
                return true;

            case AdmissionOutcome.AdmittedReleasing:
                envelope = envelope.Admitted;
                TakeReleased();
                return true;

            case AdmissionOutcome.Duplicate:
                Log.DuplicateDropped(_host.Logger, Self, envelope.Message.HandlerName, origin, sequence);
                return false;

            default:
                return false; // held back, or a second copy of a held one (dropped: the first runs in its turn)
        }
    }

    /// <summary>The held gaps outlived their deadline: they are given up, and what waited behind them runs.</summary>
    private void SkipGaps()
    {
        while (_admission!.TrySkipGap(out var gap))
        {
            Log.SequenceGapSkipped(_host.Logger, Self, gap.Origin, gap.First, gap.Last);
            TakeReleased();
        }
    }

    private void TakeReleased()
    {
        while (_admission!.TryTakeReleased(out var released))
        {
            _ready.Enqueue(released.Admitted);
        }
    }
}
