namespace Mobility.Faults;

/// <summary>What an operation is.</summary>
internal enum OpKind
{
    /// <summary>A numbered call (<c>Handle</c>): its reply names the copy that handled it.</summary>
    Call,

    /// <summary>A numbered cast (<c>Note</c>): returns at once; the history sees whether and when it was handled.</summary>
    Cast,

    /// <summary><c>SendMeAsync</c> to a node.</summary>
    Move,
}

/// <summary>How an operation ended, as its caller saw it (Jepsen's ok / fail / info).</summary>
internal enum Outcome
{
    /// <summary>No answer yet (or ever: its node was killed, or it hangs).</summary>
    Pending,

    /// <summary>It happened: the call was answered, the cast sent, the move committed.</summary>
    Ok,

    /// <summary>It definitely did not happen: the move rolled back, the process was reported stopped.</summary>
    Fail,

    /// <summary>It may or may not have happened: a timeout, a lost connection.</summary>
    Unknown,
}

/// <summary>
/// One operation of the workload or the mover. Times are offsets from the run's start on the machine's monotonic
/// clock; <see cref="Start"/> and <see cref="End"/> are taken by the node that performed it (the campaign's own clock
/// when the node never answered). Calls and casts carry their sender's number <see cref="N"/>.
/// </summary>
internal sealed record Operation(long Id, OpKind Kind, string Sender, string SenderNode, string Process, long N, string? Destination, TimeSpan Start)
{
    public Outcome Outcome { get; set; } = Outcome.Pending;

    public TimeSpan? End { get; set; }

    /// <summary>For an ok call: the copy that answered, and its node.</summary>
    public string? Copy { get; set; }

    public string? Node { get; set; }

    /// <summary>For a failed or unknown operation: the exception's type (and migration failure reason) and message.</summary>
    public string? Error { get; set; }

    public override string ToString() =>
        $"#{Id} {Kind.ToString().ToLowerInvariant()} {(Kind == OpKind.Move ? $"{Short(Process)}→{Destination}" : $"{Sender}:{N}→{Short(Process)}")} " +
        $"from {SenderNode} [{Ms(Start)}..{(End is { } end ? Ms(end) : "?")}] {Outcome.ToString().ToLowerInvariant()}" +
        (Copy is null ? "" : $" by {Copy}@{Node}") + (Error is null ? "" : $" ({Error})");

    internal static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:F0}ms";

    internal static string Short(string process) => process.Length > 8 ? process[..8] : process;
}

/// <summary>A copy of a process began: <c>OnStarted</c> (spawn) or <c>OnArrived</c> (a move), at <see cref="Node"/>.</summary>
internal sealed record Activation(TimeSpan At, string Process, string Copy, string Node, bool Arrived);

/// <summary>A copy handled call or cast number <see cref="N"/> of <see cref="Sender"/>.</summary>
internal sealed record Handling(TimeSpan At, string Process, string Copy, string Node, string Sender, OpKind Kind, long N);

/// <summary>What a nemesis did to a node: killed it, started it again, paused it (over a span).</summary>
internal enum NodeFaultKind
{
    Kill,
    Restart,
    Pause,
    Partition,
    OneWay,
}

/// <summary>
/// A fault done to a node (or, for partitions, to the pair "a-b", frames from a to b held for one way): a pause or a
/// partition spans <see cref="At"/> to <see cref="Until"/>; <see cref="InMove"/> marks a kill timed right after a move began.
/// </summary>
internal sealed record NodeFault(NodeFaultKind Kind, string Node, TimeSpan At, TimeSpan? Until = null, bool InMove = false);

/// <summary>A copy found running at the end of the run, with its state (numbers handled per sender).</summary>
internal sealed record FinalCopy(string Process, string Copy, string Node, IReadOnlyDictionary<string, IReadOnlyList<long>> State);

/// <summary>
/// Everything a run recorded, for the <see cref="Checker"/>: the operations with their outcomes, what the copies did,
/// the nemeses' node faults, and what ran where at the end. <see cref="Processes"/> are every process spawned;
/// <see cref="AliveAtEnd"/> the nodes that answered the final report; <see cref="Deadline"/> the time by which every
/// operation of a live sender had to have an outcome.
/// </summary>
internal sealed record History(
    IReadOnlyList<string> Processes,
    IReadOnlyList<Operation> Operations,
    IReadOnlyList<Activation> Activations,
    IReadOnlyList<Handling> Handlings,
    IReadOnlyList<NodeFault> Faults,
    IReadOnlyList<FinalCopy> Final,
    IReadOnlyList<string> AliveAtEnd,
    TimeSpan Deadline,
    Timings Timings);

/// <summary>Which outcome an exception means to the caller that got it.</summary>
internal static class Outcomes
{
    /// <summary>
    /// "fail" only for what says the operation did not happen (a rolled-back move, a process reported stopped or not
    /// found, a bad command); "unknown" for everything else — a timeout, a lost connection, or a call whose node went
    /// down while it was pending (<see cref="ProcessStopReason.NodeLost"/>: it may have run) never says it did not happen.
    /// </summary>
    public static string Classify(Exception failure) => failure switch
    {
        ProcessStoppedException { Reason: ProcessStopReason.NodeLost } => "unknown",
        MigrationFailedException or ProcessStoppedException or ArgumentException => "fail",
        _ => "unknown",
    };
}
