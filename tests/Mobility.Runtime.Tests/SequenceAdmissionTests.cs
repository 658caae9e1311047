using CsCheck;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

/// <summary>
/// Sequence admission, on its own: which numbered messages of which origins a process lets run, when, and how many
/// times. Times are explicit: the gap clock moves only when a test advances it.
/// </summary>
public sealed class SequenceAdmissionTests
{
    private static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(10);

    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly SequenceAdmission<Note> _admission;
    private readonly List<Note> _ran = [];

    public SequenceAdmissionTests() => _admission = new SequenceAdmission<Note>(_time, GapTimeout);

    [Fact]
    public void An_origins_messages_in_order_are_each_admitted_in_turn()
    {
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 1));
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 2));
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 3));

        Assert.Equal(["a1", "a2", "a3"], Ran);
        Assert.False(_admission.HasHeld);
        Assert.Equal(4, _admission.ExportExpected()["a"]);
    }

    [Fact]
    public void An_early_message_is_held_until_the_gap_fills_then_released_in_order()
    {
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 1));
        Assert.Equal(AdmissionOutcome.Held, Offer("a", 4));
        Assert.Equal(AdmissionOutcome.Held, Offer("a", 3));
        Assert.True(_admission.HasHeld);
        Assert.Equal(["a1"], Ran);

        Assert.Equal(AdmissionOutcome.AdmittedReleasing, Offer("a", 2));

        Assert.Equal(["a1", "a2", "a3", "a4"], Ran);
        Assert.False(_admission.HasHeld);
        Assert.Equal(5, _admission.ExportExpected()["a"]);
    }

    [Fact]
    public void A_message_below_the_expected_number_is_a_duplicate()
    {
        Offer("a", 1);
        Offer("a", 2);

        Assert.Equal(AdmissionOutcome.Duplicate, Offer("a", 1));
        Assert.Equal(AdmissionOutcome.Duplicate, Offer("a", 2));
        Assert.Equal(["a1", "a2"], Ran);
    }

    [Fact]
    public void A_second_copy_of_a_held_message_is_a_duplicate_and_only_the_first_runs()
    {
        var first = new Note("a", 2);
        Assert.Equal(AdmissionOutcome.Held, Offer(first));
        Assert.Equal(AdmissionOutcome.DuplicateOfHeld, Offer("a", 2));

        Offer("a", 1);

        Assert.Equal(["a1", "a2"], Ran);
        Assert.Same(first, _ran[1]);
    }

    [Fact]
    public void Messages_without_an_origin_or_a_number_are_admitted_whatever_came_before()
    {
        Offer("a", 3);

        Assert.Equal(AdmissionOutcome.Admitted, _admission.Admit(origin: null, sequence: 0, new Note("-", 0)));
        Assert.Equal(AdmissionOutcome.Admitted, _admission.Admit(origin: null, sequence: 7, new Note("-", 7)));
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 0));
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 0));

        Assert.Equal(["a0", "a0"], Ran);
        Assert.True(_admission.HasHeld); // a3 still waits for a1 and a2: unnumbered messages do not count
        Assert.Equal(1, _admission.ExportExpected()["a"]);
    }

    [Fact]
    public void Interleaved_origins_are_admitted_independently()
    {
        Assert.Equal(AdmissionOutcome.Held, Offer("b", 2));
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 1)); // b's gap holds back b only
        Assert.Equal(AdmissionOutcome.Held, Offer("a", 3));
        Assert.Equal(AdmissionOutcome.AdmittedReleasing, Offer("b", 1));
        Assert.Equal(AdmissionOutcome.AdmittedReleasing, Offer("a", 2));

        Assert.Equal(["a1", "b1", "b2", "a2", "a3"], Ran);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 4, ["b"] = 3 }, _admission.ExportExpected());
    }

    [Fact]
    public void Switching_the_hot_origin_keeps_each_origins_expected_number()
    {
        // Equal origins need not be the same string instance: the fast path compares references, the table values.
        Offer(Copy("a"), 1);
        Offer(Copy("a"), 2);
        Offer("b", 1);
        Offer(Copy("a"), 3);
        Offer("c", 1);
        Offer("b", 2);
        Assert.Equal(AdmissionOutcome.Duplicate, Offer(Copy("a"), 2));
        Assert.Equal(AdmissionOutcome.Duplicate, Offer("b", 1));
        Assert.Equal(AdmissionOutcome.Admitted, Offer(Copy("a"), 4));

        Assert.Equal(["a1", "a2", "b1", "a3", "c1", "b2", "a4"], Ran);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 3, ["c"] = 2 }, _admission.ExportExpected());
    }

    [Fact]
    public void A_gap_is_skipped_only_once_its_deadline_has_passed()
    {
        Offer("a", 1);
        Offer("a", 4);
        Assert.Equal(GapTimeout, _admission.GapTimeLeft);

        _time.Advance(GapTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromMilliseconds(1), _admission.GapTimeLeft);
        Assert.False(_admission.TrySkipGap(out _));
        Assert.Equal(["a1"], Ran);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_admission.TrySkipGap(out var gap));
        Drain();

        Assert.Equal(new SkippedGap("a", 2, 3), gap);
        Assert.Equal(["a1", "a4"], Ran);
        Assert.False(_admission.TrySkipGap(out _));
        Assert.Null(_admission.GapTimeLeft);
        Assert.Equal(AdmissionOutcome.Duplicate, Offer("a", 2)); // given up on: too late now
        Assert.Equal(AdmissionOutcome.Admitted, Offer("a", 5));
    }

    [Fact]
    public void Nothing_is_skipped_while_nothing_is_held()
    {
        Offer("a", 1);
        _time.Advance(GapTimeout * 3);

        Assert.Null(_admission.GapTimeLeft);
        Assert.False(_admission.TrySkipGap(out _));
    }

    [Fact]
    public void The_held_messages_share_one_deadline_counted_from_when_the_first_was_held_while_nothing_else_was()
    {
        Offer("a", 3);
        _time.Advance(TimeSpan.FromSeconds(6));
        Offer("b", 2); // held later, but behind the same deadline
        Assert.Equal(TimeSpan.FromSeconds(4), _admission.GapTimeLeft);

        _time.Advance(TimeSpan.FromSeconds(4));
        var gaps = new List<SkippedGap>();
        while (_admission.TrySkipGap(out var gap))
        {
            gaps.Add(gap);
            Drain();
        }

        Assert.Equal([new SkippedGap("a", 1, 2), new SkippedGap("b", 1, 1)], gaps);
        Assert.Equal(["a3", "b2"], Ran);

        Offer("a", 5); // the held set was empty: a new gap, a new deadline
        Assert.Equal(GapTimeout, _admission.GapTimeLeft);
    }

    [Fact]
    public void The_deadline_restarts_once_the_held_messages_are_released()
    {
        Offer("a", 2);
        _time.Advance(TimeSpan.FromSeconds(8));
        Offer("a", 1);
        Assert.Null(_admission.GapTimeLeft);

        Offer("a", 4);

        Assert.Equal(GapTimeout, _admission.GapTimeLeft);
    }

    [Fact]
    public void Exported_and_imported_elsewhere_the_expected_numbers_and_held_messages_carry_on()
    {
        Offer("a", 1);
        Offer("a", 2);
        Offer("b", 1);
        Offer("a", 4);
        Offer("b", 3);

        var expected = _admission.ExportExpected();
        var held = new List<Note>();
        _admission.TakeHeld(held);

        Assert.Equal(new Dictionary<string, long> { ["a"] = 3, ["b"] = 2 }, expected);
        Assert.Equal([new Note("a", 4), new Note("b", 3)], held);
        Assert.False(_admission.HasHeld);
        Assert.Null(_admission.GapTimeLeft);

        var there = new SequenceAdmission<Note>(_time, GapTimeout);
        there.ImportExpected(expected);
        Assert.All(held, note => Assert.Equal(AdmissionOutcome.Held, there.Admit(note.Origin, note.Sequence, note)));
        Assert.Equal(AdmissionOutcome.Duplicate, Offer(there, new Note("a", 2)));
        Assert.Equal(AdmissionOutcome.AdmittedReleasing, Offer(there, new Note("b", 2)));
        Assert.Equal(AdmissionOutcome.AdmittedReleasing, Offer(there, new Note("a", 3)));

        Assert.Equal(["a1", "a2", "b1", "b2", "b3", "a3", "a4"], Ran);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5, ["b"] = 4 }, there.ExportExpected());
    }

    /// <summary>
    /// Each origin's numbers 1..n, every one delivered one to three times, all deliveries in any order, and the
    /// admission moved (exported and imported) at any point: each origin's messages run exactly once, in order.
    /// </summary>
    [Fact]
    public void Any_interleaving_and_duplication_of_each_origins_numbers_runs_each_message_once_in_order() =>
        Scenarios.Sample(
            (counts, deliveries, moveAt) =>
            {
                var ran = new List<Note>();
                var admission = new SequenceAdmission<Note>(TimeProvider.System, TimeSpan.FromDays(1));
                for (var i = 0; i < deliveries.Length; i++)
                {
                    if (i == moveAt)
                    {
                        admission = Moved(admission, ran);
                    }

                    Offer(admission, deliveries[i], ran);
                }

                Assert.False(admission.HasHeld);
                for (var origin = 0; origin < counts.Length; origin++)
                {
                    var name = OriginName(origin);
                    Assert.Equal(
                        Enumerable.Range(1, counts[origin]).Select(number => (long)number),
                        ran.Where(note => note.Origin == name).Select(note => note.Sequence));
                }

                Assert.Equal(counts.Sum(), ran.Count);
            },
            iter: PropertyRuns.Iterations(defaultCount: 500));

    /// <summary>Origin counts, the deliveries (numbers repeated and shuffled), and where in them the admission moves.</summary>
    private static readonly Gen<(int[] Counts, Note[] Deliveries, int MoveAt)> Scenarios =
        from counts in Gen.Int[1, 20].Array[1, 4]
        from copies in Gen.Int[1, 3].Array[counts.Sum()]
        from deliveries in Gen.Shuffle(Deliveries(counts, copies))
        from moveAt in Gen.Int[0, deliveries.Length]
        select (counts, deliveries, moveAt);

    private static Note[] Deliveries(int[] counts, int[] copies)
    {
        var deliveries = new List<Note>();
        var message = 0;
        for (var origin = 0; origin < counts.Length; origin++)
        {
            for (var number = 1; number <= counts[origin]; number++, message++)
            {
                for (var copy = 0; copy < copies[message]; copy++)
                {
                    deliveries.Add(new Note(Copy(OriginName(origin)), number)); // each copy its own message and string
                }
            }
        }

        return [.. deliveries];
    }

    /// <summary>What a move does: export at the source, import at the destination, and the held messages admitted again there.</summary>
    private static SequenceAdmission<Note> Moved(SequenceAdmission<Note> source, List<Note> ran)
    {
        var expected = source.ExportExpected();
        var held = new List<Note>();
        source.TakeHeld(held);
        var destination = new SequenceAdmission<Note>(TimeProvider.System, TimeSpan.FromDays(1));
        destination.ImportExpected(expected);
        foreach (var note in held)
        {
            Offer(destination, note, ran);
        }

        return destination;
    }

    private static string OriginName(int origin) => $"origin-{origin}";

    private static string Copy(string origin) => new(origin.AsSpan());

    private IEnumerable<string> Ran => _ran.Select(note => $"{note.Origin}{note.Sequence}");

    private AdmissionOutcome Offer(string origin, long sequence) => Offer(new Note(origin, sequence));

    private AdmissionOutcome Offer(Note note) => Offer(_admission, note, _ran);

    private AdmissionOutcome Offer(SequenceAdmission<Note> admission, Note note) => Offer(admission, note, _ran);

    /// <summary>Offers a message as the loop does: what is admitted runs at once, then what it released.</summary>
    private static AdmissionOutcome Offer(SequenceAdmission<Note> admission, Note note, List<Note> ran)
    {
        var outcome = admission.Admit(note.Origin, note.Sequence, note);
        if (outcome is AdmissionOutcome.Admitted or AdmissionOutcome.AdmittedReleasing)
        {
            ran.Add(note);
        }

        while (admission.TryTakeReleased(out var released))
        {
            ran.Add(released);
        }

        return outcome;
    }

    private void Drain()
    {
        while (_admission.TryTakeReleased(out var released))
        {
            _ran.Add(released);
        }
    }

    /// <summary>A numbered message, as its origin sent it.</summary>
    private sealed record Note(string Origin, long Sequence);
}
