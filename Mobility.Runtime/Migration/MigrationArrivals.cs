using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Migration;

/// <summary>
/// The destination side of migration: restores an offered process through DI and holds it inactive (its queue, timers
/// and sequence positions adopted), activates it on commit (claiming its names, then <c>OnArrived</c>), discards it on
/// abort; and at the source, re-routes a process that left.
/// </summary>
internal sealed class MigrationArrivals(IMigrationHost host)
{
    /// <summary>Creates the offered process through DI, restores it and holds it inactive (messages queue for it).</summary>
    /// <param name="offer">The offer.</param>
    /// <param name="trailer">The bytes after the offer in its frame (its state, unless the offer carries it): read before this returns.</param>
    /// <exception cref="MigrationRefusedException">It cannot live here.</exception>
    public LocalProcess ReceiveInactive(OfferMessage offer, System.Buffers.ReadOnlySequence<byte> trailer)
    {
        if (!host.IsRunning)
        {
            throw new MigrationRefusedException($"node '{host.NodeName}' is not running");
        }

        if (!host.Types.TryFind(offer.TypeId, out var type))
        {
            throw new MigrationRefusedException($"process type '{offer.TypeId}' is not registered on node '{host.NodeName}'");
        }

        var id = ProcessId.FromGuid(offer.Process);
        if (host.Routes.Find(id)?.Local is not null)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} already lives on node '{host.NodeName}'");
        }

        IMobileProcess instance;
        try
        {
            instance = type.Create(host.Services);
            StateCodec.Read(instance, offer.StateBytes(trailer), host.SerializerOptions);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} could not be restored: {exception.Message}");
        }

        var process = host.Create(type, id, instance);
        var queue = new List<Envelope>(offer.Queue.Length);
        var postponed = new List<Envelope>(offer.Postponed?.Length ?? 0);
        foreach (var (wires, into) in new[] { (offer.Queue, queue), (offer.Postponed ?? [], postponed) })
        {
            foreach (var wire in wires)
            {
                try
                {
                    into.Add(host.FromWire(type, wire));
                }
                catch (InvalidDataException exception)
                {
                    throw new MigrationRefusedException($"a queued message of process {offer.TypeId}#{id} could not be decoded: {exception.Message}");
                }
            }
        }

        var timers = new List<PendingTimer>(offer.Timers.Length);
        foreach (var timer in offer.Timers)
        {
            if (WireCodec.DecodeArguments(type, timer.HandlerId, new(timer.Arguments), host.SerializerOptions) is not CastMessage cast)
            {
                throw new MigrationRefusedException($"a timer of process {offer.TypeId}#{id} does not deliver a cast");
            }

            if (timer.Kind > (byte)TimeoutKind.Named || (timer.Kind == (byte)TimeoutKind.Named) != timer.Name is { Length: > 0 })
            {
                throw new MigrationRefusedException($"a timer of process {offer.TypeId}#{id} has an unknown kind");
            }

            timers.Add(new PendingTimer(timer.Id, new DateTimeOffset(timer.DueUtcTicks, TimeSpan.Zero), cast, (TimeoutKind)timer.Kind, timer.Name));
        }

        process.AdoptEpoch(offer.Epoch);
        process.AdoptTravellers(offer.Names, offer.Expected.Select(entry => KeyValuePair.Create(entry.Origin, entry.Next)), queue, timers, postponed);
        process.AdoptMonitoring(offer.Monitoring);
        host.Routes.For(id).RunsHere(process); // messages sent straight here queue up until the commit
        return process;
    }

    /// <summary>Starts a received process (<c>OnArrived</c>, then its queue in order); <paramref name="via"/> is where it came from.</summary>
    public async Task ActivateAsync(LocalProcess process, MigrationInfo arrival, PeerAddress via)
    {
        if (via.IsLink)
        {
            // From another cluster: its names belong to that cluster, whose node keeps them and forwards here.
            host.ArrivedOverLink(process.Id, via);
        }
        else
        {
            await ClaimTravellingNamesAsync(process).ConfigureAwait(false);
        }

        try
        {
            await process.StartAsync(arrival, runStartedHook: false).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // OnArrived threw: the process is logged and stopped, like a failed spawn. It cannot go back.
            host.Logger.LogError(exception, "Process {Process} failed in OnArrived at node '{Node}'", process.Self, host.NodeName);
        }
    }

    private async Task ClaimTravellingNamesAsync(LocalProcess process)
    {
        foreach (var name in process.Names)
        {
            try
            {
                await host.Directory.ClaimAsync(name, process.Id, process.Type.TypeId, host.NodeName).ConfigureAwait(false);
                host.Names.Hold(name, process);
            }
            catch (Exception exception) when (exception is NameAlreadyRegisteredException or DirectoryUnavailableException)
            {
                host.Logger.LogWarning(exception, "Process {Process} arrived but could not re-register the name '{Name}'", process.Self, name);
            }
        }
    }

    /// <summary>
    /// Drops a received process that was never committed. What reached it meanwhile (senders the directory already
    /// pointed here) is sent back to <paramref name="via"/>, where the process goes on: never dropped. The route
    /// changes first, so a message that finds the copy closed follows the route there too.
    /// </summary>
    public void DiscardInactive(LocalProcess process, PeerAddress via)
    {
        var route = host.Routes.For(process.Id);
        if (ReferenceEquals(route.Local, process))
        {
            route.LivesOn(via);
        }

        host.ForwardAll(process.Id, process.Type.TypeId, process.CloseInactive());
    }

    /// <summary>The process left for <paramref name="node"/>: route there from now on.</summary>
    public void RouteAway(LocalProcess process, PeerAddress node)
    {
        host.Routes.For(process.Id).LivesOn(node);
        host.Left(process.Id, node);
        if (!node.IsLink)
        {
            host.Names.Drop(process.Id); // the destination claimed them: their records name it now
        }
    }
}
