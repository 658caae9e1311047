namespace Mobility.Faults;

/// <summary>The kinds of fault a nemesis injects.</summary>
internal enum NemesisKind
{
    /// <summary>kill -9 of a node at a random moment; it restarts under the same name after a while.</summary>
    Kill,

    /// <summary>kill -9 of a move's source or destination a few milliseconds after its <c>SendMeAsync</c> began.</summary>
    KillInMove,

    /// <summary>SIGSTOP for longer than the failure detector, then SIGCONT.</summary>
    Pause,

    /// <summary>Both directions between two nodes blackholed through their fault injectors, then healed.</summary>
    Partition,

    /// <summary>One direction only (frames from one node to another held), then healed.</summary>
    OneWay,
}

/// <summary>One fault of a run's schedule: at <see cref="At"/>, against <see cref="Node"/> (and <see cref="Peer"/>), for <see cref="Length"/>.</summary>
/// <param name="KillSource">For <see cref="NemesisKind.KillInMove"/>: kill the move's source (else its destination).</param>
/// <param name="Delay">For <see cref="NemesisKind.KillInMove"/>: how long after the move began.</param>
internal sealed record NemesisStep(TimeSpan At, NemesisKind Kind, string Node, string Peer, TimeSpan Length, bool KillSource, TimeSpan Delay)
{
    public override string ToString() => Kind switch
    {
        NemesisKind.Partition => $"{Operation.Ms(At)} partition {Node}↔{Peer} for {Operation.Ms(Length)}",
        NemesisKind.OneWay => $"{Operation.Ms(At)} one-way {Node}→{Peer} for {Operation.Ms(Length)}",
        NemesisKind.KillInMove => $"{Operation.Ms(At)} kill the {(KillSource ? "source" : "destination")} of the next move {Operation.Ms(Delay)} after it began, down {Operation.Ms(Length)}",
        _ => $"{Operation.Ms(At)} {Kind.ToString().ToLowerInvariant()} {Node} for {Operation.Ms(Length)}",
    };
}

/// <summary>
/// A run's fault schedule, derived from its seed alone: which fault, when, against whom. One fault at a time, each
/// followed by a quiet gap, so a majority of the cluster stays whole.
/// </summary>
internal static class Schedule
{
    public static IReadOnlyList<NemesisStep> Plan(int seed, IReadOnlyList<NemesisKind> kinds, IReadOnlyList<string> nodes, TimeSpan length, Timings timings)
    {
        List<NemesisStep> steps = [];
        if (kinds.Count == 0)
        {
            return steps;
        }

        var random = new Random(seed);
        var at = TimeSpan.FromMilliseconds(500 + random.Next(1000));
        while (true)
        {
            var kind = kinds[random.Next(kinds.Count)];
            var node = nodes[random.Next(nodes.Count)];
            var peer = nodes.Where(n => n != node).ElementAt(random.Next(nodes.Count - 1));
            var faultLength = kind switch
            {
                // Past the failure detector, so the others declare it down.
                NemesisKind.Pause => timings.FailureDetection + TimeSpan.FromMilliseconds(500 + random.Next(1500)),
                NemesisKind.Partition or NemesisKind.OneWay => TimeSpan.FromMilliseconds(500 + random.Next((int)(timings.FailureDetection.TotalMilliseconds * 2))),
                _ => TimeSpan.FromMilliseconds(1000 + random.Next(2000)),
            };
            var step = new NemesisStep(at, kind, node, peer, faultLength, random.Next(2) == 0, TimeSpan.FromMilliseconds(random.Next(40)));
            if (at + faultLength > length)
            {
                return steps;
            }

            steps.Add(step);
            at += faultLength + TimeSpan.FromMilliseconds(1000 + random.Next(2000));
        }
    }
}
