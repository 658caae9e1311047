using Mobility.Processes;

namespace Mobility.Tests.Support;

/// <summary>
/// Snapshot and restore outside a migration, for tests of the state codec and of restoring through DI: what a move
/// does at its two ends (the snapshot the source freezes, a process restored from it on the destination), without
/// the move protocol around it.
/// </summary>
internal static class NodeSnapshots
{
    /// <summary>Freezes a process between two messages and returns its snapshot; it keeps running.</summary>
    public static Task<ProcessSnapshot> SnapshotAsync(this MobilityNode node, ProcessRef process, CancellationToken cancellationToken = default) =>
        SystemCalls.SendAsync(process, new SnapshotRequest(), cancellationToken);

    /// <summary>
    /// Brings a snapshot back to life on <paramref name="node"/>: a new instance through dependency injection, its state
    /// restored, its names registered, its loop started.
    /// </summary>
    public static async Task<ProcessRef> RestoreAsync(this MobilityNode node, ProcessSnapshot snapshot, ProcessId id, MigrationInfo? arrival, CancellationToken cancellationToken = default)
    {
        var context = node.Context;
        context.EnsureRunning();
        if (!context.Types.TryFind(snapshot.TypeId, out var type))
        {
            throw new InvalidOperationException($"Process type '{snapshot.TypeId}' is not registered with node '{node.Name}'; it cannot be restored here.");
        }

        var instance = type.Create(context.Services);
        StateCodec.Read(instance, snapshot.State, context.SerializerOptions);
        var process = new LocalProcess(node.Host, type, id, instance);
        foreach (var name in snapshot.Names)
        {
            await context.Directory.ClaimAsync(name, id, type.TypeId, node.Name);
            context.Names.Hold(name, process);
        }

        process.AdoptTravellers(snapshot.Names, [], [], []);
        context.Routes.For(id).RunsHere(process);
        await process.StartAsync(arrival, runStartedHook: false).WaitAsync(cancellationToken);
        await context.Directory.SetLocationAsync(id, node.Name, epoch: 0);
        return process.Self;
    }
}
