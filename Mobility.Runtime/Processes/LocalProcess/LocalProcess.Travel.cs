using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// What travels with the process in a move besides its state: its names, sequence positions, unhandled messages,
/// timers and postponed events (and, from <c>.Monitoring</c>, its monitors and links). Captured at the source,
/// adopted at the destination, or given back if the move rolls back.
/// </summary>
internal sealed partial class LocalProcess
{
    /// <summary>
    /// The process's move epoch: 0 at spawn, and each move's own, higher than the one before (a rolled-back move's source
    /// takes the next). Its directory entry is updated only by a move of a higher epoch than the one recorded.
    /// </summary>
    public long Epoch { get; private set; }

    /// <summary>Takes the epoch of the move that brought the process here (or, at a rolled-back source, the next one).</summary>
    public void AdoptEpoch(long epoch) => Epoch = Math.Max(Epoch, epoch);

    /// <summary>
    /// Before the loop starts, gives a restored process what travelled with it: its names, sequence
    /// positions, unhandled messages (taken first, in order), timers and, for a state machine, the events it
    /// postponed (retried at its next state change).
    /// </summary>
    public void AdoptTravellers(
        IEnumerable<string> names,
        IEnumerable<KeyValuePair<string, long>> expected,
        IEnumerable<Envelope> queue,
        IEnumerable<PendingTimer> timers,
        IEnumerable<Envelope>? postponed = null)
    {
        _names.AddRange(names);
        Admission.ImportExpected(expected);

        foreach (var message in queue)
        {
            _front.Enqueue(message);
        }

        foreach (var timer in timers)
        {
            _timers.Arm(timer);
        }

        if (postponed is not null)
        {
            _postponed.AddRange(postponed);
        }
    }

    /// <summary>Freezes the process for a move: everything that must travel, taken out of the loop's queues.</summary>
    public MoveCapture CaptureForMove()
    {
        var queue = new List<Envelope>(_retry.Count + _ready.Count + _front.Count);
        queue.AddRange(_retry);
        _retry.Clear();
        queue.AddRange(_ready);
        queue.AddRange(_front);
        _ready.Clear();
        _front.Clear();
        while (_mailbox.TryRead(out var envelope))
        {
            queue.Add(envelope);
        }

        _admission?.TakeHeld(queue); // still numbered: held again where they are taken next

        queue.RemoveAll(envelope => _timers.IsStale(envelope.Message)); // cancelled timeouts that fired: they would be dropped here, and must be there
        var postponed = _postponed.ToArray();
        _postponed.Clear();
        return new MoveCapture(
            [.. _names],
            _admission?.ExportExpected() ?? new Dictionary<string, long>(StringComparer.Ordinal),
            queue,
            _timers.Pause(),
            postponed,
            CaptureMonitoring());
    }

    /// <summary>The move rolled back: the process takes its queue back, in order, and its timers run again.</summary>
    public void ResumeAfterRollback(MoveCapture capture)
    {
        foreach (var message in capture.Queue)
        {
            _front.Enqueue(message);
        }

        _postponed.AddRange(capture.Postponed);
        _timers.Resume();
    }

    /// <summary>Messages that reached the process and wait for its loop (before it starts: all that reached it).</summary>
    public int Unread => _mailbox.Unread;

    /// <summary>
    /// A copy received in a move that will never be committed: it accepts nothing more, its timers stop, and it gives
    /// up the messages that reached it since it was restored, in order, to be sent where the process lives. What
    /// travelled in the offer stays out (the source kept it), and so do the casts of its own timers (the source's copies
    /// of those timers run again).
    /// </summary>
    public List<Envelope> CloseInactive()
    {
        _mailbox.TryComplete();
        var arrived = new List<Envelope>();
        while (_mailbox.TryRead(out var envelope))
        {
            if (!_timers.Owns(envelope.Message))
            {
                arrived.Add(envelope);
            }
        }

        _timers.Clear();
        return arrived;
    }
}
