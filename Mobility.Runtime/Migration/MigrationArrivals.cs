using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Registry;
using Mobility.Generated;
using Mobility.Nodes;
using Mobility.Processes;

namespace Mobility.Migration;

/// <summary>
/// The node's side of migration (<see cref="IMigrationHost"/>): turns a process's unhandled messages into wire messages
/// and back, restores an offered process and holds it inactive, activates it on commit (claiming its names), discards
/// it on abort, and re-routes a process that left.
/// </summary>
internal sealed class MigrationArrivals(
    NodeContext node,
    MessageRouter router,
    NodeSender sender,
    CrossClusterLinks links,
    Func<ProcessType, ProcessId, IMobileProcess, LocalProcess> create) : IMigrationHost
{
    private readonly NodeContext _node = node;
    private readonly MessageRouter _router = router;
    private readonly NodeSender _sender = sender;
    private readonly CrossClusterLinks _links = links;
    private readonly Func<ProcessType, ProcessId, IMobileProcess, LocalProcess> _create = create;

    public string NodeName => _node.Name;

    public DeliverMessage ToWire(ProcessId target, string typeId, ProcessMessage message, PeerAddress node) => _router.ToWire(target, typeId, message, node);

    public void ForgetWired(IEnumerable<DeliverMessage> messages) => _router.ForgetWired(messages);

    public LocalProcess ReceiveInactive(OfferMessage offer)
    {
        if (!_node.IsRunning)
        {
            throw new MigrationRefusedException($"node '{_node.Name}' is not running");
        }

        if (!_node.Types.TryFind(offer.TypeId, out var type))
        {
            throw new MigrationRefusedException($"process type '{offer.TypeId}' is not registered on node '{_node.Name}'");
        }

        var id = ProcessId.FromGuid(offer.Process);
        if (_node.Routes.Find(id)?.Local is not null)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} already lives on node '{_node.Name}'");
        }

        IMobileProcess instance;
        try
        {
            instance = type.Create(_node.Services);
            StateCodec.Read(instance, offer.StateBytes, _node.SerializerOptions);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} could not be restored: {exception.Message}");
        }

        var process = _create(type, id, instance);
        var queue = new List<ProcessMessage>(offer.Queue.Length);
        var postponed = new List<ProcessMessage>(offer.Postponed?.Length ?? 0);
        foreach (var (wires, into) in new[] { (offer.Queue, queue), (offer.Postponed ?? [], postponed) })
        {
            foreach (var wire in wires)
            {
                try
                {
                    into.Add(_router.FromWire(type, wire));
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
            if (WireCodec.DecodeArguments(type, timer.HandlerId, timer.Arguments, _node.SerializerOptions) is not CastMessage cast)
            {
                throw new MigrationRefusedException($"a timer of process {offer.TypeId}#{id} does not deliver a cast");
            }

            if (timer.Kind > (byte)TimeoutKind.Named || (timer.Kind == (byte)TimeoutKind.Named) != timer.Name is { Length: > 0 })
            {
                throw new MigrationRefusedException($"a timer of process {offer.TypeId}#{id} has an unknown kind");
            }

            timers.Add(new PendingTimer(timer.Id, new DateTimeOffset(timer.DueUtcTicks, TimeSpan.Zero), cast, (TimeoutKind)timer.Kind, timer.Name));
        }

        process.AdoptTravellers(offer.Names, offer.Expected.Select(entry => KeyValuePair.Create(entry.Origin, entry.Next)), queue, timers, postponed);
        process.AdoptMonitoring(offer.Monitoring);
        _node.Routes.For(id).RunsHere(process); // messages sent straight here queue up until the commit
        return process;
    }

    public async Task ActivateAsync(LocalProcess process, MigrationInfo arrival, PeerAddress via)
    {
        if (via.IsLink)
        {
            // From another cluster: its names belong to that cluster, whose node keeps them and forwards here.
            _links.ArrivedVia(process.Id, via);
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
            _node.Logger.LogError(exception, "Process {Process} failed in OnArrived at node '{Node}'", process.Self, _node.Name);
        }
    }

    private async Task ClaimTravellingNamesAsync(LocalProcess process)
    {
        foreach (var name in process.Names)
        {
            try
            {
                await _node.Directory.ClaimAsync(name, process.Id, process.Type.TypeId, _node.Name).ConfigureAwait(false);
                _node.Names.Hold(name, process);
            }
            catch (Exception exception) when (exception is NameAlreadyRegisteredException or DirectoryUnavailableException)
            {
                _node.Logger.LogWarning(exception, "Process {Process} arrived but could not re-register the name '{_node.Name}'", process.Self, name);
            }
        }
    }

    public void DiscardInactive(LocalProcess process, PeerAddress via)
    {
        var route = _node.Routes.For(process.Id);
        if (ReferenceEquals(route.Local, process))
        {
            route.LivesOn(via);
        }
    }

    public void RouteAway(LocalProcess process, PeerAddress node)
    {
        _node.Routes.For(process.Id).LivesOn(node);
        _links.Left(process.Id, node);
        if (!node.IsLink)
        {
            _node.Names.Drop(process.Id); // the destination claimed them: their records name it now
        }
    }
}
