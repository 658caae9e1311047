using System.Diagnostics.Metrics;

namespace Mobility.Diagnostics;

/// <summary>Mobility's metrics (meter <c>Mobility</c>): migrations and forwarded messages.</summary>
internal static class MobilityMetrics
{
    public const string MeterName = "Mobility";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> MigrationsStarted = Meter.CreateCounter<long>("mobility.migrations.started", description: "Moves begun by processes of this node.");

    public static readonly Counter<long> MigrationsCompleted = Meter.CreateCounter<long>("mobility.migrations", description: "Moves that committed: the process lives at its destination.");

    public static readonly Counter<long> MigrationsRolledBack = Meter.CreateCounter<long>("mobility.migrations.rolled_back", description: "Moves that rolled back: the process resumed at its source.");

    public static readonly Histogram<double> MigrationDuration = Meter.CreateHistogram<double>("mobility.migration.duration", unit: "ms", description: "From snapshot to commit.");

    public static readonly Counter<long> MessagesForwarded = Meter.CreateCounter<long>("mobility.messages.forwarded", description: "Messages this node passed on to where their process lives now.");

    public static readonly Counter<long> EventHandlersRemoved = Meter.CreateCounter<long>("mobility.event_handlers.removed", description: "Event handlers removed from their manager because they threw.");
}
