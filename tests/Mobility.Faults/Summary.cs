using System.Text;

namespace Mobility.Faults;

/// <summary>The figures a campaign prints: per run, and over the campaign.</summary>
internal static class Summary
{
    public static string OfRun(RunResult result)
    {
        var h = result.History;
        return $"{Operations(h.Operations)}; faults {Faults(h.Faults)}; " +
            $"{(result.Violations.Count == 0 ? "no violation" : $"VIOLATIONS {Violations(result.Violations)}")}";
    }

    public static string OfCampaign(CampaignOptions options, IReadOnlyList<RunResult> results, TimeSpan elapsed)
    {
        var operations = results.SelectMany(r => r.History.Operations).ToList();
        var violations = results.SelectMany(r => r.Violations).ToList();
        var text = new StringBuilder();
        text.AppendLine($"== campaign seed {options.Seed}: {results.Count} runs in {elapsed.TotalSeconds:F0} s");
        text.AppendLine($"   operations: {Operations(operations)}");
        text.AppendLine($"   messages checked: {results.Sum(r => r.History.Handlings.Count)} handlings, {results.Sum(r => r.History.Activations.Count)} activations");
        text.AppendLine($"   faults injected: {Faults(results.SelectMany(r => r.History.Faults))}");
        text.AppendLine($"   violations: {(violations.Count == 0 ? "none" : Violations(violations))}");
        foreach (var kind in violations.Select(v => v.Kind).Distinct())
        {
            var seeds = results.Where(r => r.Violations.Any(v => v.Kind == kind)).Select(r => r.Seed);
            text.AppendLine($"     {kind}: seeds {string.Join(", ", seeds)}");
        }

        return text.ToString().TrimEnd();
    }

    private static string Operations(IReadOnlyList<Operation> operations)
    {
        string Of(OpKind kind)
        {
            var ops = operations.Where(op => op.Kind == kind).ToList();
            return $"{ops.Count} {kind.ToString().ToLowerInvariant()}s (ok {ops.Count(o => o.Outcome == Outcome.Ok)}, fail {ops.Count(o => o.Outcome == Outcome.Fail)}, " +
                $"unknown {ops.Count(o => o.Outcome == Outcome.Unknown)}, no answer {ops.Count(o => o.Outcome == Outcome.Pending)})";
        }

        return $"{Of(OpKind.Move)}, {Of(OpKind.Call)}, {Of(OpKind.Cast)}";
    }

    private static string Faults(IEnumerable<NodeFault> faults)
    {
        var list = faults.ToList();
        var kills = list.Count(f => f.Kind == NodeFaultKind.Kill && !f.InMove);
        var inMove = list.Count(f => f.Kind == NodeFaultKind.Kill && f.InMove);
        return $"kill {kills}, kill-in-move {inMove}, restart {list.Count(f => f.Kind == NodeFaultKind.Restart)}, pause {list.Count(f => f.Kind == NodeFaultKind.Pause)}, " +
            $"partition {list.Count(f => f.Kind == NodeFaultKind.Partition)}, one-way {list.Count(f => f.Kind == NodeFaultKind.OneWay)}";
    }

    private static string Violations(IEnumerable<Violation> violations) =>
        string.Join(", ", violations.GroupBy(v => v.Kind).Select(g => $"{g.Key} {g.Count()}"));
}
