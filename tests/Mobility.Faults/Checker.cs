namespace Mobility.Faults;

/// <summary>What a history shows went wrong; DESIGN.md §4 broken, one way each.</summary>
internal enum ViolationKind
{
    /// <summary>Two copies of one process were live (activated or handling) over overlapping spans: a duplicate.</summary>
    TwoLiveCopies,

    /// <summary>One call or cast was handled more than once (by one copy or by several).</summary>
    HandledTwice,

    /// <summary>A call answered ok was not handled by any copy.</summary>
    AcknowledgedNotHandled,

    /// <summary>A call its caller was told failed (it will not run) was handled all the same.</summary>
    FailedButHandled,

    /// <summary>Two operations of one sender to one process were handled out of send order.</summary>
    OrderBroken,

    /// <summary>A cast from a sender whose node lived, to a process that lives, was never handled.</summary>
    CastLost,

    /// <summary>An acknowledged or handled operation is missing from the final state of the process.</summary>
    EffectLost,

    /// <summary>A move reported committed, but no copy arrived at the destination.</summary>
    CommittedNotAtDestination,

    /// <summary>A move reported rolled back, yet a copy arrived at the destination (<c>OnArrived</c> ran there).</summary>
    RolledBackButArrived,

    /// <summary>A move reported rolled back, but the process did not go on at the source.</summary>
    RolledBackNotAtSource,

    /// <summary>An operation was told the process stopped (<c>ProcessStoppedException</c>) while it was alive.</summary>
    LiveReportedStopped,

    /// <summary>An operation took more than twice its timeout (its sender's node was not paused meanwhile).</summary>
    Outlived,

    /// <summary>An operation of a sender whose node lives had no outcome by the deadline: a hang.</summary>
    NoOutcome,

    /// <summary>A process vanished though no node it lived on was killed.</summary>
    ProcessLost,
}

/// <summary>One broken guarantee, with the operations that show it.</summary>
internal sealed record Violation(ViolationKind Kind, string Process, string Message, IReadOnlyList<Operation> Operations)
{
    public override string ToString() =>
        $"{Kind} on {Operation.Short(Process)}: {Message}" +
        (Operations.Count == 0 ? "" : $"{Environment.NewLine}      {string.Join($"{Environment.NewLine}      ", Operations.Take(6))}");
}

/// <summary>
/// The campaign's checker: pure functions from a recorded <see cref="History"/> to the <see cref="Violation"/>s it
/// shows. It only claims what the history proves: an unknown outcome may have happened or not; a process that lived on
/// a killed node may be gone (it must not come back, and its callers must have been answered).
/// </summary>
internal static class Checker
{
    /// <summary>Slack after a committed move's answer for its destination's activation to be stamped.</summary>
    internal static readonly TimeSpan ArrivalGrace = TimeSpan.FromMilliseconds(500);

    public static IReadOnlyList<Violation> Check(History history)
    {
        var facts = new Facts(history);
        List<Violation> found = [];
        found.AddRange(LiveCopies(facts));
        found.AddRange(ExactlyOnce(facts));
        found.AddRange(SenderOrder(facts));
        found.AddRange(FinalState(facts));
        found.AddRange(Moves(facts));
        found.AddRange(ReportedStopped(facts));
        found.AddRange(Durations(facts));
        found.AddRange(Lost(facts));
        return found;
    }

    /// <summary>At most one live copy per process at any time: a copy lives from its first to its last sign of life.</summary>
    internal static IEnumerable<Violation> LiveCopies(Facts facts)
    {
        foreach (var (process, copies) in facts.Copies)
        {
            var ordered = copies.OrderBy(copy => copy.First).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                for (var j = i + 1; j < ordered.Count; j++)
                {
                    var (a, b) = (ordered[i], ordered[j]);
                    if (b.First <= a.Last)
                    {
                        yield return new Violation(ViolationKind.TwoLiveCopies, process,
                            $"copy {a.Copy}@{a.Node} [{Span(a)}] and copy {b.Copy}@{b.Node} [{Span(b)}] were live at once",
                            [.. facts.HandledBy(process, a.Copy).TakeLast(2), .. facts.HandledBy(process, b.Copy).Take(2)]);
                    }
                }
            }
        }

        static string Span(Facts.CopyLife copy) => $"{Operation.Ms(copy.First)}..{(copy.Last == TimeSpan.MaxValue ? "end" : Operation.Ms(copy.Last))}";
    }

    /// <summary>Every ok call handled once; nothing handled twice; nothing failed handled; casts of live senders to live processes handled.</summary>
    internal static IEnumerable<Violation> ExactlyOnce(Facts facts)
    {
        foreach (var op in facts.History.Operations.Where(op => op.Kind != OpKind.Move))
        {
            var handled = facts.Handled(op);
            if (handled.Count > 1)
            {
                yield return new Violation(ViolationKind.HandledTwice, op.Process,
                    $"handled {handled.Count} times, by {string.Join(", ", handled.Select(h => $"{h.Copy}@{h.Node} at {Operation.Ms(h.At)}"))}", [op]);
            }

            if (op.Kind == OpKind.Call && op.Outcome == Outcome.Ok && handled.Count == 0)
            {
                yield return new Violation(ViolationKind.AcknowledgedNotHandled, op.Process, $"answered by {op.Copy}@{op.Node} but no copy handled it", [op]);
            }

            if (op.Outcome == Outcome.Fail && handled.Count > 0)
            {
                yield return new Violation(ViolationKind.FailedButHandled, op.Process,
                    $"failed to its caller, yet handled by {handled[0].Copy}@{handled[0].Node} at {Operation.Ms(handled[0].At)}", [op]);
            }

            if (op.Kind == OpKind.Cast && op.Outcome == Outcome.Ok && handled.Count == 0 && facts.Lives(op.Process) && !facts.KilledAfter(op.SenderNode, op.Start))
            {
                yield return new Violation(ViolationKind.CastLost, op.Process, "sent by a live sender to a process that lives, never handled", [op]);
            }
        }
    }

    /// <summary>Per sender and process, handled in send order (numbers increase), whichever copies handled them.</summary>
    internal static IEnumerable<Violation> SenderOrder(Facts facts)
    {
        foreach (var group in facts.History.Handlings.GroupBy(h => (h.Process, h.Sender)))
        {
            Handling? previous = null;
            foreach (var handling in group.OrderBy(h => h.At))
            {
                if (previous is not null && handling.N < previous.N)
                {
                    yield return new Violation(ViolationKind.OrderBroken, handling.Process,
                        $"{handling.Sender}:{handling.N} handled at {Operation.Ms(handling.At)} by {handling.Copy}@{handling.Node} after " +
                        $"{previous.Sender}:{previous.N} at {Operation.Ms(previous.At)} by {previous.Copy}@{previous.Node}",
                        [.. facts.OperationOf(previous), .. facts.OperationOf(handling)]);
                }

                if (previous is null || handling.N > previous.N)
                {
                    previous = handling;
                }
            }
        }
    }

    /// <summary>Each process that lives holds, in its final state, every call acknowledged to it and everything any copy handled.</summary>
    internal static IEnumerable<Violation> FinalState(Facts facts)
    {
        foreach (var final in facts.History.Final)
        {
            var missing = facts.History.Operations
                .Where(op => op.Process == final.Process && op.Kind != OpKind.Move)
                .Where(op => (op.Kind == OpKind.Call && op.Outcome == Outcome.Ok) || facts.Handled(op).Count > 0)
                .Where(op => !(final.State.TryGetValue(op.Sender, out var numbers) && numbers.Contains(op.N)))
                .ToList();
            if (missing.Count > 0)
            {
                yield return new Violation(ViolationKind.EffectLost, final.Process,
                    $"{missing.Count} acknowledged or handled operations missing from the state of {final.Copy}@{final.Node} at the end", missing);
            }
        }
    }

    /// <summary>Committed → a copy arrived at the destination; rolled back → none did, and the source copy went on.</summary>
    internal static IEnumerable<Violation> Moves(Facts facts)
    {
        foreach (var move in facts.History.Operations.Where(op => op.Kind == OpKind.Move && op.End is not null))
        {
            var end = move.End!.Value;
            var arrivals = facts.History.Activations
                .Where(a => a.Process == move.Process && a.Arrived && a.Node == move.Destination && a.At >= move.Start)
                .ToList();
            if (move.Outcome == Outcome.Ok && !arrivals.Any(a => a.At <= end + ArrivalGrace))
            {
                yield return new Violation(ViolationKind.CommittedNotAtDestination, move.Process,
                    $"SendMeAsync reported success, but no copy arrived at '{move.Destination}'", [move]);
            }

            var rolledBack = move.Outcome == Outcome.Fail && move.Error?.StartsWith(nameof(MigrationFailedException), StringComparison.Ordinal) == true;
            if (!rolledBack)
            {
                continue;
            }

            if (arrivals.FirstOrDefault(a => a.At <= end) is { } arrival)
            {
                yield return new Violation(ViolationKind.RolledBackButArrived, move.Process,
                    $"reported rolled back, but copy {arrival.Copy} arrived at '{arrival.Node}' at {Operation.Ms(arrival.At)}", [move]);
            }

            if (facts.LastCopyBefore(move.Process, move.Start) is not { } source)
            {
                continue;
            }

            var next = facts.FirstSignAfter(move.Process, end);
            var wentOn = next switch
            {
                (_, { } copy, false) => copy == source.Copy, // the next handling is the source copy's
                (_, _, true) => true, // a later move took it elsewhere
                _ => facts.History.Final.Any(f => f.Process == move.Process && f.Copy == source.Copy) || facts.KilledAfter(source.Node, move.Start),
            };
            if (!wentOn)
            {
                yield return new Violation(ViolationKind.RolledBackNotAtSource, move.Process,
                    $"reported rolled back, but copy {source.Copy}@{source.Node} did not go on" +
                    (next is (var at, { } other, _) ? $" (copy {other} handled at {Operation.Ms(at)})" : " (gone, its node alive)"), [move]);
            }
        }
    }

    /// <summary>No operation is told "stopped" about a process that is alive after it (nothing in the workload stops one).</summary>
    internal static IEnumerable<Violation> ReportedStopped(Facts facts)
    {
        foreach (var op in facts.History.Operations)
        {
            if (op.Error?.StartsWith(nameof(ProcessStoppedException), StringComparison.Ordinal) != true || op.End is not { } end)
            {
                continue;
            }

            if (facts.FirstSignAfter(op.Process, end) is (var at, var copy, _))
            {
                yield return new Violation(ViolationKind.LiveReportedStopped, op.Process, $"reported stopped, but copy {copy} was live at {Operation.Ms(at)}", [op]);
            }
            else if (facts.Lives(op.Process))
            {
                yield return new Violation(ViolationKind.LiveReportedStopped, op.Process, "reported stopped, but it runs at the end", [op]);
            }
        }
    }

    /// <summary>No operation outlives twice its timeout; every operation of a live sender has an outcome by the deadline.</summary>
    internal static IEnumerable<Violation> Durations(Facts facts)
    {
        var timings = facts.History.Timings;
        foreach (var op in facts.History.Operations)
        {
            if (op.End is { } end)
            {
                var budget = op.Kind == OpKind.Move ? timings.Move : timings.Call;
                if (end - op.Start > budget * 2 && !facts.PausedDuring(op.SenderNode, op.Start, end))
                {
                    yield return new Violation(ViolationKind.Outlived, op.Process,
                        $"took {Operation.Ms(end - op.Start)}, more than twice its timeout of {Operation.Ms(budget)}", [op]);
                }
            }
            else if (!facts.KilledAfter(op.SenderNode, op.Start) && facts.History.AliveAtEnd.Contains(op.SenderNode))
            {
                yield return new Violation(ViolationKind.NoOutcome, op.Process,
                    $"no outcome by the deadline {Operation.Ms(facts.History.Deadline)}, its sender's node alive", [op]);
            }
        }
    }

    /// <summary>A process that is not running at the end must have lived last on a node that was killed after it got there.</summary>
    internal static IEnumerable<Violation> Lost(Facts facts)
    {
        foreach (var process in facts.History.Processes.Where(p => !facts.Lives(p)))
        {
            if (facts.LastCopyBefore(process, TimeSpan.MaxValue) is { } last && !facts.KilledAfter(last.Node, last.First))
            {
                var moves = facts.History.Operations.Where(op => op.Process == process && op.Kind == OpKind.Move).TakeLast(2).ToList();
                yield return new Violation(ViolationKind.ProcessLost, process,
                    $"not running anywhere at the end; its last copy {last.Copy}@{last.Node} (last live {Operation.Ms(last.Last)}) was on a node never killed after", moves);
            }
        }
    }

    /// <summary>Indexes over a history that the checks share.</summary>
    internal sealed class Facts
    {
        private readonly Dictionary<(string Process, string Sender, OpKind Kind, long N), List<Handling>> _handled;
        private readonly Dictionary<(string Process, string Sender, OpKind Kind, long N), Operation> _operations;
        private readonly HashSet<string> _living;

        public Facts(History history)
        {
            History = history;
            _handled = history.Handlings.GroupBy(h => (h.Process, h.Sender, h.Kind, h.N)).ToDictionary(g => g.Key, g => g.OrderBy(h => h.At).ToList());
            _operations = history.Operations.Where(op => op.Kind != OpKind.Move)
                .GroupBy(op => (op.Process, op.Sender, op.Kind, op.N)).ToDictionary(g => g.Key, g => g.First());
            _living = [.. history.Final.Select(f => f.Process)];
            var final = history.Final.Select(f => (f.Process, f.Copy)).ToHashSet();
            Copies = history.Activations.Select(a => (a.Process, a.Copy, a.Node, a.At))
                .Concat(history.Handlings.Select(h => (h.Process, h.Copy, h.Node, h.At)))
                .Concat(history.Final.Select(f => (f.Process, f.Copy, f.Node, At: TimeSpan.MaxValue)))
                .GroupBy(sign => (sign.Process, sign.Copy))
                .Select(g => new CopyLife(g.Key.Process, g.Key.Copy, g.First().Node, g.Min(s => s.At), final.Contains(g.Key) ? TimeSpan.MaxValue : g.Max(s => s.At)))
                .GroupBy(copy => copy.Process)
                .ToDictionary(g => g.Key, g => g.ToList());
        }

        public History History { get; }

        /// <summary>Each copy's span of life: from its first to its last sign (the end of the run if it runs then).</summary>
        public Dictionary<string, List<CopyLife>> Copies { get; }

        public IReadOnlyList<Handling> Handled(Operation op) =>
            _handled.TryGetValue((op.Process, op.Sender, op.Kind, op.N), out var handled) ? handled : [];

        public IEnumerable<Operation> OperationOf(Handling handling) =>
            _operations.TryGetValue((handling.Process, handling.Sender, handling.Kind, handling.N), out var op) ? [op] : [];

        public IEnumerable<Operation> HandledBy(string process, string copy) =>
            History.Handlings.Where(h => h.Process == process && h.Copy == copy).OrderBy(h => h.At).SelectMany(OperationOf);

        public bool Lives(string process) => _living.Contains(process);

        /// <summary>The copy of <paramref name="process"/> with the latest sign of life before <paramref name="time"/>.</summary>
        public CopyLife? LastCopyBefore(string process, TimeSpan time)
        {
            var signs = History.Activations.Where(a => a.Process == process && a.At < time).Select(a => (a.At, a.Copy))
                .Concat(History.Handlings.Where(h => h.Process == process && h.At < time).Select(h => (h.At, h.Copy)));
            return signs.OrderBy(sign => sign.At).LastOrDefault() is { Copy: not null } last
                ? Copies[process].First(copy => copy.Copy == last.Copy)
                : null;
        }

        /// <summary>The first activation or handling of <paramref name="process"/> after <paramref name="time"/>: when, which copy, whether an arrival.</summary>
        public (TimeSpan At, string Copy, bool Arrival)? FirstSignAfter(string process, TimeSpan time)
        {
            var signs = History.Activations.Where(a => a.Process == process && a.At > time).Select(a => (a.At, a.Copy, Arrival: true))
                .Concat(History.Handlings.Where(h => h.Process == process && h.At > time).Select(h => (h.At, h.Copy, Arrival: false)));
            return signs.OrderBy(sign => sign.At).Select(sign => ((TimeSpan, string, bool)?)sign).FirstOrDefault();
        }

        public bool KilledAfter(string node, TimeSpan time) => History.Faults.Any(f => f.Kind == NodeFaultKind.Kill && f.Node == node && f.At >= time);

        public bool PausedDuring(string node, TimeSpan from, TimeSpan to) =>
            History.Faults.Any(f => f.Kind == NodeFaultKind.Pause && f.Node == node && f.At <= to && (f.Until ?? TimeSpan.MaxValue) >= from);

        /// <summary>One copy's life.</summary>
        internal sealed record CopyLife(string Process, string Copy, string Node, TimeSpan First, TimeSpan Last);
    }
}
