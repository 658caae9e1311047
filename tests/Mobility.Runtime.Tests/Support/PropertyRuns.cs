namespace Mobility.Tests.Support;

/// <summary>
/// How many random cases a property test runs: a small bounded number in the suite, more on demand with
/// <c>MOBILITY_PROPERTY_ITERATIONS=500 dotnet test ...</c> when hunting races.
/// </summary>
internal static class PropertyRuns
{
    public static int Iterations(int defaultCount) =>
        int.TryParse(Environment.GetEnvironmentVariable("MOBILITY_PROPERTY_ITERATIONS"), out var count) && count > 0 ? count : defaultCount;
}
