namespace Mobility.Faults;

/// <summary>
/// The bounded campaign of CI: three nodes in child OS processes, senders and the mover on a healthy network, a few
/// seconds. It must find nothing. The fault scenarios are run on demand (<c>dotnet run --project tests/Mobility.Faults --
/// campaign</c>): today they find the violations issue 12 lists, so they are not CI tests.
/// </summary>
public sealed class HealthyCampaignTests
{
    [Fact]
    public async Task Moves_on_a_healthy_network_break_no_guarantee()
    {
        var options = new CampaignOptions(Seed: 12, Runs: 1, Total: null, RunLength: TimeSpan.FromSeconds(4), Faults: [], Timings.Fast, Verbose: false);

        var result = await Campaign.RunAsync(options.Seed, options).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.Violations.Count == 0, $"seed {result.Seed}: {string.Join(Environment.NewLine, result.Violations)}");
        var moves = result.History.Operations.Where(op => op.Kind == OpKind.Move).ToList();
        Assert.True(moves.Count(op => op.Outcome == Outcome.Ok) >= 5, Summary.OfRun(result));
        Assert.True(result.History.Handlings.Count >= 200, Summary.OfRun(result));
        Assert.Equal(CampaignOptions.Processes, result.History.Final.Count);
    }
}
