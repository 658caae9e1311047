using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Mobility.Processes;

/// <summary>
/// Which of a process's sequenced messages may run now. Each origin numbers its messages to the process 1, 2, 3…;
/// they may arrive in any order and more than once (forwarded and direct copies race, senders re-send), and this
/// lets each origin's messages through exactly once, in their numbers' order: the next one is admitted, an early one
/// is held until the numbers before it have come, one below the expected number is a duplicate. Held messages whose
/// gap outlives the gap timeout are given up on: the caller skips the gap (<see cref="TrySkipGap"/>) and they run.
/// </summary>
/// <remarks>
/// <para>
/// Pure bookkeeping, touched only by the process's loop: no locks, no logging (it reports; the caller logs), and no
/// clock but the one it is given, read only when a message is held or a deadline is asked for.
/// </para>
/// <para>
/// Messages come in runs from one origin, so the latest origin and its next number are kept apart (the hot origin):
/// the next message of that run is admitted with a reference comparison and an increment, without a lookup and
/// without allocating. The table of expected numbers and the held messages are created with the first sequenced
/// message and the first early one: an idle process has neither.
/// </para>
/// </remarks>
/// <typeparam name="TMessage">What is admitted; its origin and number are given alongside it.</typeparam>
internal sealed class SequenceAdmission<TMessage>
{
    private readonly TimeProvider _clock;
    private readonly TimeSpan _gapTimeout;
    private Dictionary<string, long>? _expected;
    // While set, its entry in _expected is stale (CoolDown writes _hotNext back).
    private string? _hotOrigin;
    private long _hotNext;
    private Dictionary<string, SortedList<long, TMessage>>? _held;
    private long _heldSince; // a timestamp of _clock: when the held set last became non-empty
    private Queue<TMessage>? _released;

    /// <param name="clock">Times the gaps (its timestamps only).</param>
    /// <param name="gapTimeout">How long held messages wait for a missing number before the gap is skipped.</param>
    public SequenceAdmission(TimeProvider clock, TimeSpan gapTimeout)
    {
        _clock = clock;
        _gapTimeout = gapTimeout;
    }

    /// <summary>Whether some messages are held, waiting for a missing number of their origin.</summary>
    public bool HasHeld => _held is { Count: > 0 };

    /// <summary>
    /// How long until the held messages' gaps may be skipped (zero or less: now), measured from the moment the first
    /// of them was held while nothing else was; null when nothing is held.
    /// </summary>
    public TimeSpan? GapTimeLeft => HasHeld ? _gapTimeout - _clock.GetElapsedTime(_heldSince) : null;

    /// <summary>
    /// Decides what becomes of <paramref name="message"/>, number <paramref name="sequence"/> from
    /// <paramref name="origin"/>. A message without an origin or with number 0 is not sequenced: always admitted.
    /// </summary>
    /// <returns>
    /// <see cref="AdmissionOutcome.AdmittedReleasing"/> when it filled a gap: the caller runs it, then takes the held messages
    /// it released with <see cref="TryTakeReleased"/>, before admitting anything else.
    /// </returns>
    public AdmissionOutcome Admit(string? origin, long sequence, TMessage message)
    {
        if (origin is null || sequence == 0)
        {
            return AdmissionOutcome.Admitted;
        }

        if (!ReferenceEquals(origin, _hotOrigin))
        {
            HeatUp(origin);
        }

        if (sequence == _hotNext)
        {
            _hotNext++;
            return _held is null || !_held.TryGetValue(origin, out var successors)
                ? AdmissionOutcome.Admitted
                : Release(origin, successors, ref _hotNext);
        }

        if (sequence < _hotNext)
        {
            return AdmissionOutcome.Duplicate;
        }

        _held ??= new Dictionary<string, SortedList<long, TMessage>>(StringComparer.Ordinal);
        if (_held.Count == 0)
        {
            _heldSince = _clock.GetTimestamp();
        }

        if (!_held.TryGetValue(origin, out var held))
        {
            _held[origin] = held = [];
        }

        return held.TryAdd(sequence, message) ? AdmissionOutcome.Held : AdmissionOutcome.DuplicateOfHeld;
    }

    /// <summary>Takes the next message released by the last <see cref="Admit"/> or <see cref="TrySkipGap"/>, in order.</summary>
    public bool TryTakeReleased([MaybeNullWhen(false)] out TMessage message)
    {
        if (_released is null)
        {
            message = default;
            return false;
        }

        return _released.TryDequeue(out message);
    }

    /// <summary>
    /// Once the gap deadline has passed (<see cref="GapTimeLeft"/> is zero or less), gives up the gap of one origin that
    /// has messages held: its expected number jumps to its first held one, and that run of held messages is released
    /// (take them with <see cref="TryTakeReleased"/>). Called until it returns false, it skips every held gap.
    /// </summary>
    /// <param name="gap">The numbers given up on, for the caller to report.</param>
    /// <returns>False if nothing is held, or the deadline has not passed.</returns>
    public bool TrySkipGap(out SkippedGap gap)
    {
        if (GapTimeLeft is not { } left || left > TimeSpan.Zero)
        {
            gap = default;
            return false;
        }

        CoolDown();
        foreach (var (origin, held) in _held!)
        {
            var first = held.Keys[0];
            ref var next = ref CollectionsMarshal.GetValueRefOrAddDefault(_expected!, origin, out var known);
            gap = new SkippedGap(origin, known ? next : 1, first - 1);
            next = first;
            Release(origin, held, ref next);
            return true;
        }

        gap = default;
        return false;
    }

    /// <summary>The next number expected from each origin that has sent sequenced messages (a copy).</summary>
    public Dictionary<string, long> ExportExpected()
    {
        CoolDown();
        return _expected is null
            ? new Dictionary<string, long>(StringComparer.Ordinal)
            : new Dictionary<string, long>(_expected, StringComparer.Ordinal);
    }

    /// <summary>Takes on the expected numbers another admission exported (replacing those of the same origins).</summary>
    public void ImportExpected(IEnumerable<KeyValuePair<string, long>> expected)
    {
        CoolDown();
        _expected ??= new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (origin, next) in expected)
        {
            _expected[origin] = next;
        }
    }

    /// <summary>
    /// Removes every held message and appends it to <paramref name="into"/>, origin by origin, each in number order,
    /// still carrying its origin and number: admitted again (here or where they travel), they are held again.
    /// </summary>
    public void TakeHeld(List<TMessage> into)
    {
        if (_held is null)
        {
            return;
        }

        foreach (var held in _held.Values)
        {
            into.AddRange(held.Values);
        }

        _held.Clear();
    }

    /// <summary>Moves the held successors of <paramref name="next"/> to the released queue, advancing it past them.</summary>
    private AdmissionOutcome Release(string origin, SortedList<long, TMessage> held, ref long next)
    {
        var released = AdmissionOutcome.Admitted;
        while (held.Remove(next, out var successor))
        {
            (_released ??= new Queue<TMessage>()).Enqueue(successor);
            next++;
            released = AdmissionOutcome.AdmittedReleasing;
        }

        if (held.Count == 0)
        {
            _held!.Remove(origin);
        }

        return released;
    }

    /// <summary>Makes <paramref name="origin"/> the hot origin, writing the previous one back.</summary>
    private void HeatUp(string origin)
    {
        CoolDown();
        _expected ??= new Dictionary<string, long>(StringComparer.Ordinal);
        _hotNext = _expected.TryGetValue(origin, out var next) ? next : 1;
        _hotOrigin = origin;
    }

    private void CoolDown()
    {
        if (_hotOrigin is { } hot)
        {
            _expected![hot] = _hotNext;
            _hotOrigin = null;
        }
    }
}
