using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Migration;
using Mobility.Monitoring;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Nodes;

/// <summary>What the node does for the processes it hosts: names, moves, forwarding after a move, stops, monitoring.</summary>
internal sealed class ProcessHost(
    NodeContext node,
    MessageRouter router,
    CrossClusterLinks links,
    MigrationCoordinator migration,
    NodeMonitors monitors) : IProcessHost
{
    public string NodeName => node.Name;

    public IProcessRouter Router => router;

    public ILogger Logger => node.Logger;

    public MemoryPackSerializerOptions SerializerOptions => node.SerializerOptions;

    public TimeProvider Time => TimeProvider.System;

    public TimeSpan SequenceGapTimeout => node.Options.MigrationTimeout * 2;

    public async Task<bool> ClaimNameAsync(string name, LocalProcess process)
    {
        bool claimed;
        try
        {
            claimed = await node.Directory.ClaimAsync(name, process.Id, process.Type.TypeId, node.Name).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException exception)
        {
            throw new IOException($"The name '{name}' could not be registered: {exception.Message}", exception);
        }

        node.Names.Hold(name, process);
        if (claimed)
        {
            Log.NameRegistered(node.Logger, process.Self, name);
        }

        return claimed;
    }

    public Task MoveAsync(LocalProcess process, Destination destination, MoveCapture capture) =>
        migration.MoveAsync(process, destination, capture);

    public void ForwardAfterMove(LocalProcess process, IReadOnlyList<Envelope> messages) =>
        router.ForwardAll(process.Id, process.Type.TypeId, messages);

    public void OnStopped(LocalProcess process) => ForgetStopped(process.Id);

    /// <summary>
    /// A process stopped (here, or in another cluster it went to): its route says so for good, the clusters that wait for
    /// it hear it, and the directory forgets its location and names.
    /// </summary>
    public void ForgetStopped(ProcessId id)
    {
        node.Routes.For(id).MarkStopped();
        links.Stopped(id);
        node.Directory.RemoveLocation(id, node.Name);
        foreach (var name in node.Names.Drop(id))
        {
            node.Directory.Release(name, id);
        }
    }

    public ProcessRef RefTo(ProcessId id, string typeId, string at, ProcessId from) =>
        node.Types.RefTo(id, typeId, at != node.Name && !(node.Membership?.IsConnected(at) ?? false) && links.TryGetArrivedVia(from, out var link) ? link.Name : at, router);

    public void SendDownToNode(string watcherNode, MonitorRef monitor, ProcessRef process, ExitInfo exit) =>
        monitors.SendDown(watcherNode, monitor, process, exit);

    public void SendLocationToNode(string watcherNode, MonitorRef monitor, ProcessId process, long generation) =>
        monitors.SendLocation(watcherNode, monitor, process, generation);
}
