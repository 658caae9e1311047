using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>What the node does for the processes it hosts and for the processes that move to or from it.</summary>
public sealed partial class MobilityNode : IProcessHost, IMigrationHost
{
    // Processes that came from another cluster, by the link they came over, and the links of their homes that
    // asked to be told directly (WatchMessage): all of them hear where the process goes next, and when it stops.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ProcessId, string> _arrivedVia = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ProcessId, string[]> _watchers = new();

    string IProcessHost.NodeName => Name;

    string IMigrationHost.NodeName => Name;

    IProcessRouter IProcessHost.Router => this;

    ILogger IProcessHost.Logger => _logger;

    MemoryPackSerializerOptions IProcessHost.SerializerOptions => _serializerOptions;

    TimeProvider IProcessHost.Time => TimeProvider.System;

    TimeSpan IProcessHost.SequenceGapTimeout => _options.MigrationTimeout * 2;

    async Task<bool> IProcessHost.ClaimNameAsync(string name, LocalProcess process)
    {
        bool claimed;
        try
        {
            claimed = await _directory.ClaimAsync(name, process.Id, process.Type.TypeId, Name).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException exception)
        {
            throw new IOException($"The name '{name}' could not be registered: {exception.Message}", exception);
        }

        _heldNames[name] = process;
        if (claimed)
        {
            Log.NameRegistered(_logger, process.Self, name);
        }

        return claimed;
    }

    Task IProcessHost.MoveAsync(LocalProcess process, Destination destination, MoveCapture capture) =>
        _migration.MoveAsync(process, destination, capture);

    void IProcessHost.ForwardAfterMove(LocalProcess process, IReadOnlyList<ProcessMessage> messages)
    {
        var route = _routes.For(process.Id);
        foreach (var message in messages)
        {
            try
            {
                Deliver(route, process.Type.TypeId, null, message);
                MobilityMetrics.MessagesForwarded.Add(1);
            }
            catch (ProcessStoppedException exception)
            {
                message.Fail(exception);
            }
        }
    }

    void IProcessHost.OnStopped(LocalProcess process)
    {
        _routes.For(process.Id).MarkStopped();
        Tell(process.Id, new GoneMessage(process.Id.ToGuid()), except: null);
        _arrivedVia.TryRemove(process.Id, out _);
        _watchers.TryRemove(process.Id, out _);

        _directory.RemoveLocation(process.Id, Name);
        foreach (var (name, holder) in _heldNames)
        {
            if (holder.Id == process.Id && _heldNames.TryRemove(new KeyValuePair<string, LocalProcess>(name, holder)))
            {
                _directory.Release(name, process.Id);
            }
        }
    }

    DeliverMessage IMigrationHost.ToWire(ProcessId target, string typeId, ProcessMessage message, string node) =>
        ToWire(target, typeId, message, node);

    bool IMigrationHost.IsLink(string node) => IsLink(node);

    void IMigrationHost.ForgetWired(IEnumerable<DeliverMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message.CallId != 0 && message.ReplyNode == Name && _pendingCalls.TryRemove(message.CallId, out var pending))
            {
                pending.Message.PendingCallId = 0;
            }

            if (message.CallId != 0 && message.ReplyNode == Name)
            {
                _relays.TryRemove(message.CallId, out _); // the message stays here: no reply will cross the link for it
            }
        }
    }

    LocalProcess IMigrationHost.ReceiveInactive(OfferMessage offer)
    {
        if (Volatile.Read(ref _state) != Running)
        {
            throw new MigrationRefusedException($"node '{Name}' is not running");
        }

        if (!_typesById.TryGetValue(offer.TypeId, out var type))
        {
            throw new MigrationRefusedException($"process type '{offer.TypeId}' is not registered on node '{Name}'");
        }

        var id = ProcessId.FromGuid(offer.Process);
        if (_routes.Find(id)?.Local is not null)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} already lives on node '{Name}'");
        }

        IMobileProcess instance;
        try
        {
            instance = type.Create(_services);
            StateCodec.Read(instance, offer.StateBytes, _serializerOptions);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            throw new MigrationRefusedException($"process {offer.TypeId}#{id} could not be restored: {exception.Message}");
        }

        var process = new LocalProcess(this, type, id, instance);
        var queue = new List<ProcessMessage>(offer.Queue.Length);
        var postponed = new List<ProcessMessage>(offer.Postponed?.Length ?? 0);
        foreach (var (wires, into) in new[] { (offer.Queue, queue), (offer.Postponed ?? [], postponed) })
        {
            foreach (var wire in wires)
            {
                try
                {
                    into.Add(FromWire(type, wire));
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
            if (WireCodec.DecodeArguments(type, timer.HandlerId, timer.Arguments, _serializerOptions) is not CastMessage cast)
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
        _routes.For(id).RunsHere(process); // messages sent straight here queue up until the commit
        return process;
    }

    async Task IMigrationHost.ActivateAsync(LocalProcess process, MigrationInfo arrival, string via)
    {
        if (IsLink(via))
        {
            // From another cluster: its names belong to that cluster, whose node keeps them and forwards here.
            _arrivedVia[process.Id] = via;
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
            _logger.LogError(exception, "Process {Process} failed in OnArrived at node '{Node}'", process.Self, Name);
        }
    }

    private async Task ClaimTravellingNamesAsync(LocalProcess process)
    {
        foreach (var name in process.Names)
        {
            try
            {
                await _directory.ClaimAsync(name, process.Id, process.Type.TypeId, Name).ConfigureAwait(false);
                _heldNames[name] = process;
            }
            catch (Exception exception) when (exception is NameAlreadyRegisteredException or DirectoryUnavailableException)
            {
                _logger.LogWarning(exception, "Process {Process} arrived but could not re-register the name '{Name}'", process.Self, name);
            }
        }
    }

    void IMigrationHost.DiscardInactive(LocalProcess process, string via)
    {
        var route = _routes.For(process.Id);
        if (ReferenceEquals(route.Local, process))
        {
            route.LivesOn(via);
        }
    }

    void IMigrationHost.RouteAway(LocalProcess process, string node)
    {
        _routes.For(process.Id).LivesOn(node);
        if (IsLink(node))
        {
            // Gone to another cluster: this node keeps its names here and forwards to it. If it came from a third
            // cluster, that origin is told where it lives now, so it links there directly (no growing chain).
            if (node.StartsWith("tcp://", StringComparison.Ordinal))
            {
                Tell(process.Id, new MovedMessage(process.Id.ToGuid(), node), except: node);
            }

            return;
        }

        _arrivedVia.TryRemove(process.Id, out _);

        foreach (var (name, holder) in _heldNames)
        {
            if (holder.Id == process.Id)
            {
                _heldNames.TryRemove(new KeyValuePair<string, LocalProcess>(name, holder));
            }
        }
    }

    /// <summary>
    /// Registers the handlers of every cluster message that is not membership's own. None waits for network I/O on
    /// the receive loop (see <see cref="ClusterDispatcher"/>).
    /// </summary>
    private void RegisterProtocols(ClusterDispatcher dispatcher)
    {
        const ClusterDispatcher.Senders Links = ClusterDispatcher.Senders.MembersAndLinks;

        // Messaging.
        dispatcher.Inline<DeliverMessage>(Receive, Links);
        dispatcher.Inline<ReplyMessage>((_, reply) => OnReply(reply), Links);
        dispatcher.Inline<MovedMessage>(OnMoved, Links);
        dispatcher.Inline<GoneMessage>((_, gone) => OnGone(ProcessId.FromGuid(gone.Process)), Links);
        dispatcher.Inline<WatchMessage>(OnWatch, Links);

        // Requests and their answers.
        dispatcher.Inline<AnswerMessage>((_, answer) => _requests!.Complete(answer), Links);

        // Migration: the offer is restored inline (its state is the frame's memory); the commit activates the process,
        // which claims its names in the directory: handed off.
        dispatcher.Inline<OfferMessage>((peer, offer) => Answer(peer, _migration.Receive(peer.External ? FromLink(peer.Name, offer) : offer, peer.Name)), Links);
        dispatcher.HandOff<CommitMessage>(CommitAndAnswerAsync, Links);
        dispatcher.Inline<AbortMessage>((_, abort) => _migration.Abort(abort), Links);

        // Monitoring (news for a node-side monitor of this cluster may come over a link, and is passed on to its node).
        dispatcher.Inline<MonitorDownMessage>(OnMonitorMessage, Links);
        dispatcher.Inline<MonitorMovedMessage>(OnMonitorMessage, Links);

        // The directory: members only.
        dispatcher.Inline<DirectorySetMessage>((peer, request) => Answer(peer, _directory.Answer(request)));
        dispatcher.Inline<DirectoryLookupMessage>((peer, request) => Answer(peer, _directory.Answer(request)));
        dispatcher.Inline<NameClaimMessage>((peer, request) => Answer(peer, _directory.Answer(request)));
        dispatcher.Inline<NameLookupMessage>((peer, request) => Answer(peer, _directory.Answer(request)));
        dispatcher.Inline<DirectoryRemoveMessage>((_, remove) => _directory.Handle(remove));
        dispatcher.Inline<NameReleaseMessage>((_, release) => _directory.Release(release));
    }

    private void OnMoved(Peer peer, MovedMessage moved)
    {
        var route = _routes.For(ProcessId.FromGuid(moved.Process));
        if (!peer.External)
        {
            route.Heard(moved.Node);
            return;
        }

        // A link may only point at another TCP server, never at a node name of this cluster. This node watches the
        // process there from now on: the watch is queued before anything else this node sends over that link.
        if (moved.Node.StartsWith("tcp://", StringComparison.Ordinal))
        {
            route.Heard(moved.Node);
            if (route.Node == moved.Node)
            {
                _ = TrySendAsync(moved.Node, new WatchMessage(moved.Process));
            }
        }
    }

    private void OnWatch(Peer peer, WatchMessage watch)
    {
        if (peer.External)
        {
            _watchers.AddOrUpdate(ProcessId.FromGuid(watch.Process), [peer.Name], (_, links) => links.Contains(peer.Name) ? links : [.. links, peer.Name]);
        }
    }

    private async Task CommitAndAnswerAsync(Peer peer, CommitMessage commit) =>
        Answer(peer, await _migration.CommitAsync(commit).ConfigureAwait(false));

    /// <summary>
    /// Node names of another cluster mean nothing here: the replies of the calls queued in an offer that came over a
    /// link go back over it.
    /// </summary>
    private static OfferMessage FromLink(string link, OfferMessage offer) =>
        offer with { Queue = [.. offer.Queue.Select(queued => queued.CallId == 0 ? queued : queued with { ReplyNode = link })] };

    /// <summary>Sends news of a process to the clusters that wait for it: the one it came from, and its watchers.</summary>
    private void Tell(ProcessId id, IClusterMessage news, string? except)
    {
        IEnumerable<string> links = _watchers.TryGetValue(id, out var watchers) ? watchers : [];
        if (_arrivedVia.TryGetValue(id, out var origin))
        {
            links = links.Append(origin);
        }

        foreach (var link in links.Distinct().Where(link => link != except))
        {
            _ = TrySendAsync(link, news);
        }
    }

    /// <summary>
    /// A process that went to another cluster stopped there: forget it here, release its names, and pass the news
    /// on to the cluster it came from, if any.
    /// </summary>
    private void OnGone(ProcessId id)
    {
        var route = _routes.For(id);
        if (route.Local is not null || route.Stopped)
        {
            return; // it came back, or this node knows already
        }

        route.MarkStopped();
        Tell(id, new GoneMessage(id.ToGuid()), except: null);
        _arrivedVia.TryRemove(id, out _);
        _watchers.TryRemove(id, out _);

        _directory.RemoveLocation(id, Name);
        foreach (var (name, holder) in _heldNames)
        {
            if (holder.Id == id && _heldNames.TryRemove(new KeyValuePair<string, LocalProcess>(name, holder)))
            {
                _directory.Release(name, id);
            }
        }
    }

    /// <summary>Sends an answer back to the peer that asked, without waiting for it to leave.</summary>
    private void Answer(Peer peer, AnswerMessage answer) => _ = AnswerAsync(peer, answer);

    private async Task AnswerAsync(Peer peer, AnswerMessage answer)
    {
        if (!await TrySendAsync(peer.Name, answer).ConfigureAwait(false))
        {
            _logger.LogDebug("Node '{Node}' could not answer '{Peer}': it is gone", Name, peer.Name);
        }
    }

    private void OnLinkDown(string link, string reason)
    {
        _requests?.FailAll(link, reason);
        _migration.ForgetOffersFrom(link);
        FailCallsTo(link);
    }

    private void OnNodeUp(string node)
    {
        NodeUp?.Invoke(this, new NodeEventArgs(node));
        _ = RehomeDirectoryAsync();
    }

    private void OnNodeDown(string node, string reason)
    {
        _requests?.FailAll(node, reason);
        _directory.ForgetNode(node);
        _migration.ForgetOffersFrom(node);
        OnNodeDownForMonitors(node); // before the calls fail: no connection, not "no process"
        FailCallsTo(node);
        foreach (var route in _routes.All)
        {
            if (route.Local is null && route.Node == node)
            {
                route.MarkStopped();
            }
        }

        NodeDown?.Invoke(this, new NodeEventArgs(node, reason));
        _ = RehomeDirectoryAsync();
    }

    /// <summary>
    /// Membership changed, so some directory keys have new owners: tell each owner where this node's
    /// processes live and which names they hold.
    /// </summary>
    private async Task RehomeDirectoryAsync()
    {
        try
        {
            foreach (var process in _routes.Local)
            {
                await _directory.SetLocationAsync(process.Id, Name).ConfigureAwait(false);
            }

            foreach (var (name, process) in _heldNames)
            {
                await _directory.ClaimAsync(name, process.Id, process.Type.TypeId, Name).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is DirectoryUnavailableException or NameAlreadyRegisteredException)
        {
            _logger.LogWarning(exception, "Node '{Node}' could not re-home its directory entries", Name);
        }
    }
}
