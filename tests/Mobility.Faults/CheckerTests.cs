namespace Mobility.Faults;

/// <summary>The checker on hand-made histories: each shows one violation, and the healthy ones show none.</summary>
public sealed class CheckerTests
{
    private const string P = "p1";

    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    /// <summary>A hand-made history: operations, activations, handlings and faults added in any order.</summary>
    private sealed class Built
    {
        private long _id;

        public List<Operation> Operations { get; } = [];

        public List<Activation> Activations { get; } = [];

        public List<Handling> Handlings { get; } = [];

        public List<NodeFault> Faults { get; } = [];

        public List<FinalCopy> Final { get; } = [];

        public Operation Op(OpKind kind, string sender, string senderNode, long n, double start, double? end, Outcome outcome, string? error = null, string? destination = null)
        {
            var op = new Operation(++_id, kind, sender, senderNode, P, n, destination, Ms(start)) { Outcome = outcome, End = end is { } e ? Ms(e) : null, Error = error };
            Operations.Add(op);
            return op;
        }

        /// <summary>A call (or cast) of s0 on node a, answered ok and handled by <paramref name="copy"/> at <paramref name="handledAt"/>.</summary>
        public Operation Handled(OpKind kind, long n, double start, double handledAt, double end, string copy = "c1", string node = "a")
        {
            var op = Op(kind, "s0", "a", n, start, end, Outcome.Ok);
            Handlings.Add(new Handling(Ms(handledAt), P, copy, node, "s0", kind, n));
            return op;
        }

        public void Act(double at, string copy, string node, bool arrived = false) => Activations.Add(new Activation(Ms(at), P, copy, node, arrived));

        public void Lives(string copy, string node, params long[] numbers) =>
            Final.Add(new FinalCopy(P, copy, node, new Dictionary<string, IReadOnlyList<long>> { ["s0"] = numbers }));

        public IReadOnlyList<Violation> Check() =>
            Checker.Check(new History([P], Operations, Activations, Handlings, Faults, Final, ["a", "b", "c"], Ms(100_000), Timings.Fast));
    }

    private static Built Healthy()
    {
        var h = new Built();
        h.Act(0, "c1", "a");
        h.Handled(OpKind.Call, 1, 10, 11, 12);
        h.Handled(OpKind.Cast, 2, 13, 15, 13.5);
        // moved a → b at 20..30: c2 arrives at b
        h.Op(OpKind.Move, "mover", "c", 0, 20, 30, Outcome.Ok, destination: "b");
        h.Act(25, "c2", "b", arrived: true);
        h.Handled(OpKind.Call, 3, 31, 32, 33, "c2", "b");
        // a rolled-back move to c: c2 goes on at b
        h.Op(OpKind.Move, "mover", "c", 0, 40, 50, Outcome.Fail, error: "MigrationFailedException:Refused no", destination: "c");
        h.Handled(OpKind.Cast, 4, 51, 52, 51.1, "c2", "b");
        h.Lives("c2", "b", 1, 2, 3, 4);
        return h;
    }

    private static List<ViolationKind> Kinds(Built history) => [.. history.Check().Select(v => v.Kind).Distinct()];

    [Fact]
    public void A_healthy_history_has_no_violation() => Assert.Empty(Healthy().Check());

    [Fact]
    public void Two_copies_live_at_once_are_a_duplicate()
    {
        var h = Healthy();
        // c1 at a handles after c2 arrived at b (a rollback that was not one, say)
        h.Handled(OpKind.Cast, 5, 60, 61, 60.1, "c1", "a");
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4] });
        var violation = Assert.Single(h.Check(), v => v.Kind == ViolationKind.TwoLiveCopies);
        Assert.Contains("c1@a", violation.Message);
        Assert.Contains("c2@b", violation.Message);
    }

    [Fact]
    public void Two_copies_running_at_the_end_are_a_duplicate()
    {
        var h = Healthy();
        h.Lives("c1", "a", 1, 2, 3, 4);
        Assert.Contains(ViolationKind.TwoLiveCopies, Kinds(h));
    }

    [Fact]
    public void A_call_handled_twice_is_reported_with_its_operation()
    {
        var h = Healthy();
        h.Handlings.Add(new Handling(Ms(28), P, "c2", "b", "s0", OpKind.Call, 1));
        var violation = Assert.Single(h.Check(), v => v.Kind == ViolationKind.HandledTwice);
        Assert.Equal(1, Assert.Single(violation.Operations).N);
    }

    [Fact]
    public void A_cast_handled_twice_is_a_violation()
    {
        var h = Healthy();
        h.Handlings.Add(new Handling(Ms(53), P, "c2", "b", "s0", OpKind.Cast, 4));
        Assert.Contains(ViolationKind.HandledTwice, Kinds(h));
    }

    [Fact]
    public void An_acknowledged_call_no_copy_handled_is_a_violation()
    {
        var h = Healthy();
        h.Op(OpKind.Call, "s0", "a", 5, 55, 56, Outcome.Ok);
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4, 5] });
        Assert.Equal([ViolationKind.AcknowledgedNotHandled], Kinds(h));
    }

    [Fact]
    public void A_failed_call_that_ran_anyway_is_a_violation()
    {
        var h = Healthy();
        var op = h.Op(OpKind.Call, "s0", "a", 5, 55, 56, Outcome.Fail, error: "ArgumentException no");
        h.Handlings.Add(new Handling(Ms(57), P, "c2", "b", "s0", OpKind.Call, 5));
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4, 5] });
        var violation = Assert.Single(h.Check());
        Assert.Equal(ViolationKind.FailedButHandled, violation.Kind);
        Assert.Same(op, Assert.Single(violation.Operations));
    }

    [Fact]
    public void An_unknown_call_may_have_run_or_not()
    {
        var h = Healthy();
        h.Op(OpKind.Call, "s0", "a", 5, 55, 57, Outcome.Unknown, error: "TimeoutException late");
        h.Op(OpKind.Call, "s0", "a", 6, 58, 59, Outcome.Unknown, error: "TimeoutException late");
        h.Handlings.Add(new Handling(Ms(56), P, "c2", "b", "s0", OpKind.Call, 5));
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4, 5] });
        Assert.Empty(h.Check());
    }

    [Fact]
    public void Handling_out_of_send_order_is_a_violation_naming_both_operations()
    {
        var h = Healthy();
        h.Handled(OpKind.Cast, 6, 55, 56, 55.1, "c2", "b");
        h.Handled(OpKind.Cast, 5, 54, 57, 54.1, "c2", "b");
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4, 6, 5] });
        var violation = Assert.Single(h.Check());
        Assert.Equal(ViolationKind.OrderBroken, violation.Kind);
        Assert.Equal([6L, 5L], violation.Operations.Select(op => op.N));
    }

    [Fact]
    public void A_cast_of_a_live_sender_to_a_live_process_must_be_handled()
    {
        var h = Healthy();
        h.Op(OpKind.Cast, "s0", "a", 5, 55, 55.1, Outcome.Ok);
        Assert.Equal([ViolationKind.CastLost], Kinds(h));
    }

    [Fact]
    public void A_cast_whose_sender_node_was_killed_may_be_lost()
    {
        var h = Healthy();
        h.Op(OpKind.Cast, "s0", "a", 5, 55, 55.1, Outcome.Ok);
        h.Faults.Add(new NodeFault(NodeFaultKind.Kill, "a", Ms(56)));
        Assert.Empty(h.Check());
    }

    [Fact]
    public void An_acknowledged_call_missing_from_the_final_state_is_lost_state()
    {
        var h = Healthy();
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [2, 3, 4] });
        var violation = Assert.Single(h.Check());
        Assert.Equal(ViolationKind.EffectLost, violation.Kind);
        Assert.Equal(1, Assert.Single(violation.Operations).N);
    }

    [Fact]
    public void A_move_reported_committed_needs_an_arrival_at_its_destination()
    {
        var h = Healthy();
        h.Op(OpKind.Move, "mover", "c", 0, 60, 70, Outcome.Ok, destination: "c");
        // it stayed at b and went on there
        h.Handled(OpKind.Cast, 5, 71, 72, 71.1, "c2", "b");
        h.Final[0] = new FinalCopy(P, "c2", "b", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4, 5] });
        Assert.Equal([ViolationKind.CommittedNotAtDestination], Kinds(h));
    }

    [Fact]
    public void A_move_reported_rolled_back_must_not_have_arrived()
    {
        var h = Healthy();
        h.Act(45, "c3", "c", arrived: true);
        var kinds = Kinds(h);
        Assert.Contains(ViolationKind.RolledBackButArrived, kinds);
        Assert.Contains(ViolationKind.TwoLiveCopies, kinds); // c3 arrived while c2 went on
    }

    [Fact]
    public void A_move_reported_rolled_back_leaves_the_process_at_its_source()
    {
        var h = Healthy();
        // after the rollback at 50, another copy at c handles (it did move), and runs there at the end
        h.Handlings.RemoveAt(h.Handlings.Count - 1);
        h.Handlings.Add(new Handling(Ms(52), P, "c3", "c", "s0", OpKind.Cast, 4));
        h.Activations.Add(new Activation(Ms(49.5), P, "c3", "c", Arrived: false));
        h.Final[0] = new FinalCopy(P, "c3", "c", new Dictionary<string, IReadOnlyList<long>> { ["s0"] = [1, 2, 3, 4] });
        Assert.Contains(ViolationKind.RolledBackNotAtSource, Kinds(h));
    }

    [Fact]
    public void A_live_process_reported_stopped_is_a_violation()
    {
        var h = Healthy();
        h.Op(OpKind.Call, "s0", "a", 5, 55, 56, Outcome.Fail, error: "ProcessStoppedException gone");
        Assert.Equal([ViolationKind.LiveReportedStopped], Kinds(h));
    }

    [Fact]
    public void An_operation_longer_than_twice_its_timeout_outlived_it_unless_its_node_was_paused()
    {
        var h = Healthy();
        h.Op(OpKind.Call, "s0", "a", 5, 55, 55 + 4_100, Outcome.Unknown, error: "TimeoutException late");
        Assert.Equal([ViolationKind.Outlived], Kinds(h));
        h.Faults.Add(new NodeFault(NodeFaultKind.Pause, "a", Ms(1_000), Ms(3_000)));
        Assert.Empty(h.Check());
    }

    [Fact]
    public void An_operation_of_a_live_sender_without_outcome_is_a_hang_but_not_one_of_a_killed_sender()
    {
        var h = Healthy();
        h.Op(OpKind.Move, "mover", "c", 0, 55, null, Outcome.Pending, destination: "a");
        Assert.Equal([ViolationKind.NoOutcome], Kinds(h));
        h.Faults.Add(new NodeFault(NodeFaultKind.Kill, "c", Ms(60)));
        Assert.Empty(h.Check());
    }

    [Fact]
    public void A_process_gone_without_its_node_killed_is_lost_but_one_killed_with_its_node_is_not()
    {
        var h = Healthy();
        h.Final.Clear();
        var violation = Assert.Single(h.Check());
        Assert.Equal(ViolationKind.ProcessLost, violation.Kind);
        h.Faults.Add(new NodeFault(NodeFaultKind.Kill, "b", Ms(80)));
        Assert.Empty(h.Check());
    }
}
