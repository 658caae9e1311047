using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// Messaging: every message goes to where its process lives, here or on another node of the cluster, or across a
/// link to another cluster; calls awaited here wait for their replies, and replies of calls relayed across a link go
/// back to their callers. Owns the messaging part of the cluster protocol (<see cref="DeliverMessage"/>,
/// <see cref="ReplyMessage"/>).
/// </summary>
internal sealed class MessageRouter : IProcessRouter, IRemoteReplies
{
    private const int MaxHops = 8;
    private const int DirectoryAfterHops = 2;

    private readonly NodeContext _node;
    private readonly NodeSender _sender;

    private readonly ConcurrentDictionary<long, (ProcessMessage Message, string Node)> _pendingCalls = new();

    // Calls forwarded across a link to another cluster, whose callers live on other nodes of this one: the reply
    // comes back here (the other cluster cannot reach them) and is relayed to (caller node, caller's call id).
    private readonly ConcurrentDictionary<long, (string Node, long CallId, string Link)> _relays = new();

    // Calls still being retried across a link that is down: not sent yet, so a link-down must not fail them.
    private readonly ConcurrentDictionary<long, byte> _retrying = new();
    private long _lastCallId;

    public MessageRouter(NodeContext node, NodeSender sender)
    {
        _node = node;
        _sender = sender;
    }

    /// <summary>The node's monitors, for code that monitors a process through a reference bound to this router (set once, at wiring).</summary>
    public NodeMonitors? Monitors { get; set; }

    /// <summary>Registers the messaging handlers: both inline, both open to links.</summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.Inline<DeliverMessage>(Receive, ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<ReplyMessage>((_, reply) => OnReply(reply), ClusterDispatcher.Senders.MembersAndLinks);
    }

    string IProcessRouter.NodeName => _node.Name;

    TimeSpan IProcessRouter.DefaultCallTimeout => _node.Options.CallTimeout;

    void IProcessRouter.Post(ProcessRef target, ProcessMessage message)
    {
        var route = _node.Routes.For(target);
        message.Origin = _node.Origin;
        if (route.Local is { } local)
        {
            // Numbered and enqueued in one step (under the mailbox's lock), so this node's own messages reach its
            // mailbox in order and never wait in the hold-back buffer.
            if (local.TryPostNumbered(message, ref route.LastSequence))
            {
                return;
            }
        }

        // Not here: numbered as it is queued for the node it goes to (SendRemoteAsync), so this node's messages to a
        // process leave in the order of their numbers.
        Deliver(route, target.TypeId, target.NodeHint, message);
    }

    /// <summary>A message posted on this node that has no number in its stream yet.</summary>
    private bool PostedHereUnnumbered(ProcessMessage message) => message.Sequence == 0 && message.Origin == _node.Origin;

    void IProcessRouter.Withdraw(ProcessMessage message)
    {
        if (message.PendingCallId != 0)
        {
            _pendingCalls.TryRemove(message.PendingCallId, out _);
        }
    }

    /// <summary>Hands the message to the process here, or sends it to the node it lives on.</summary>
    /// <exception cref="ProcessStoppedException">The process is known to have stopped, or cannot be located.</exception>
    public void Deliver(Route route, string typeId, string? hint, ProcessMessage message)
    {
        var spin = new SpinWait();
        while (true)
        {
            if (route.Local is { } local)
            {
                if (PostedHereUnnumbered(message) ? local.TryPostNumbered(message, ref route.LastSequence) : local.TryPost(message))
                {
                    return;
                }

                spin.SpinOnce(); // it is stopping or leaving: its route changes before its mailbox closes
                continue;
            }

            if (route.Stopped)
            {
                throw ProcessStoppedException.For(route.Id, typeId);
            }

            var node = route.Node ?? hint;
            if (node is null || node == _node.Name || _node.Membership is null)
            {
                throw ProcessStoppedException.For(route.Id, typeId, $"it does not run on node '{_node.Name}' and no other node is known to host it");
            }

            _ = SendRemoteAsync(node, route, typeId, message, PostedHereUnnumbered(message) ? route : null);
            return;
        }
    }

    /// <summary>Converts a message to its wire form; a call awaited here is registered for its reply.</summary>
    public DeliverMessage ToWire(ProcessId target, string typeId, ProcessMessage message, string node, int hops = 0)
    {
        long callId = 0;
        var replyNode = string.Empty;
        if (message.RemoteCaller is { } caller)
        {
            (replyNode, callId) = caller;
        }
        else if (message.IsCall)
        {
            callId = Interlocked.Increment(ref _lastCallId);
            message.PendingCallId = callId;
            _pendingCalls[callId] = (message, node);
            replyNode = _node.Name;
        }

        return ForLink(node, new DeliverMessage(
            target.ToGuid(), typeId, message.HandlerId, callId, replyNode, message.Origin ?? string.Empty, message.Sequence,
            WireCodec.EncodeArguments(message, _node.SerializerOptions), hops));
    }

    /// <summary>
    /// A call crossing a link to another cluster must be answered here: if its caller is another node of this
    /// cluster, the reply is relayed.
    /// </summary>
    private DeliverMessage ForLink(string node, DeliverMessage wire)
    {
        if (wire.CallId == 0 || wire.ReplyNode == _node.Name || !_sender.IsLink(node))
        {
            return wire;
        }

        var relay = Interlocked.Increment(ref _lastCallId);
        _relays[relay] = (wire.ReplyNode, wire.CallId, node);
        return wire with { CallId = relay, ReplyNode = _node.Name };
    }

    /// <summary>
    /// Sends a message to the node its process lives on (or across a link), asking the directory once if that node is
    /// gone; fails the message if it cannot be delivered. One posted here without a number takes it from
    /// <paramref name="numberFrom"/> as it is queued.
    /// </summary>
    private async Task SendRemoteAsync(string node, Route route, string typeId, ProcessMessage message, ISequenceSource? numberFrom)
    {
        DeliverMessage wire;
        try
        {
            wire = ToWire(route.Id, typeId, message, node);
        }
        catch (Exception exception) when (exception is NotSupportedException or MemoryPack.MemoryPackSerializationException)
        {
            message.Fail(new InvalidOperationException($"A '{message.HandlerName}' message cannot be sent to another node: {exception.Message}", exception));
            return;
        }

        if (_sender.IsLink(node))
        {
            NodeSender.Number(wire, numberFrom); // a link may be re-dialled first: numbered now, in posting order
            if (!await SendOverLinkAsync(node, wire).ConfigureAwait(false))
            {
                _pendingCalls.TryRemove(wire.CallId, out _);
                message.Fail(Unreachable(route.Id, typeId, node));
            }

            return;
        }

        if (await _sender.TrySendAsync(node, wire, numberFrom).ConfigureAwait(false))
        {
            return;
        }

        NodeSender.Number(wire, numberFrom); // it will not leave in its turn: numbered now, whatever happens next

        // The node we thought hosts it is gone: ask the directory where the process lives now.
        var located = await LocateQuietlyAsync(route.Id).ConfigureAwait(false);
        if (located is not null && located != node && located != _node.Name && await _sender.TrySendAsync(located, wire).ConfigureAwait(false))
        {
            route.Heard(located);
            if (wire.CallId != 0 && _pendingCalls.TryGetValue(wire.CallId, out var pending))
            {
                _pendingCalls[wire.CallId] = (pending.Message, located);
            }

            return;
        }

        _pendingCalls.TryRemove(wire.CallId, out _);
        message.Fail(ProcessStoppedException.For(route.Id, typeId, $"node '{node}', where it lived, cannot be reached"));
    }

    /// <summary>
    /// Sends across a link to another cluster, holding the message (and dialling the link again, with backoff) while
    /// the link is down, for at most <see cref="MobilityOptions.LinkRetryTimeout"/>.
    /// </summary>
    /// <returns>False if the link stayed down, or the caller gave up waiting meanwhile.</returns>
    private async Task<bool> SendOverLinkAsync(string link, DeliverMessage wire)
    {
        if (wire.CallId != 0)
        {
            _retrying[wire.CallId] = 0;
        }

        try
        {
            return await RetrySendOverLinkAsync(link, wire).ConfigureAwait(false);
        }
        finally
        {
            _retrying.TryRemove(wire.CallId, out _);
        }
    }

    private async Task<bool> RetrySendOverLinkAsync(string link, DeliverMessage wire)
    {
        var started = Environment.TickCount64;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await _sender.TrySendAsync(link, wire).ConfigureAwait(false))
            {
                return true;
            }

            var callerGaveUp = wire.CallId != 0 && wire.ReplyNode == _node.Name && !_pendingCalls.ContainsKey(wire.CallId) && !_relays.ContainsKey(wire.CallId);
            if (callerGaveUp || TimeSpan.FromMilliseconds(Environment.TickCount64 - started) + pause > _node.Options.LinkRetryTimeout ||
                _node.IsStopped)
            {
                return false;
            }

            await Task.Delay(pause).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    private async Task ForwardOverLinkAsync(string link, DeliverMessage wire, ProcessId id)
    {
        var crossing = ForLink(link, wire with { Hops = wire.Hops + 1 });
        if (await SendOverLinkAsync(link, crossing).ConfigureAwait(false))
        {
            MobilityMetrics.MessagesForwarded.Add(1);
            return;
        }

        _relays.TryRemove(crossing.CallId, out _);
        ReplyFailure(wire, Unreachable(id, wire.TypeId, link));
    }

    private ProcessUnreachableException Unreachable(ProcessId id, string typeId, string link) => new(
        id,
        $"Process {typeId}#{id} lives across the link '{link}', which stayed down for {_node.Options.LinkRetryTimeout.TotalSeconds:0.###} s " +
        "(MobilityOptions.LinkRetryTimeout): the message was not delivered.");

    /// <summary>The node the cluster directory says process <paramref name="id"/> lives on, or null if it does not know (yet).</summary>
    public async Task<string?> LocateQuietlyAsync(ProcessId id)
    {
        try
        {
            return await _node.Directory.LookupAsync(id).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException)
        {
            return null;
        }
    }

    /// <summary>
    /// A message for a process arrived from another node (or across a link): hand it over, answer that it stopped, or
    /// forward it. Runs on the connection's receive loop, so forwarding — which may ask the directory, whose owner can
    /// be the very peer that sent the message, and waits for room on another connection — is not awaited here: each
    /// origin's sequence numbers put forwarded messages back in order at the process.
    /// </summary>
    private void Receive(Peer peer, DeliverMessage wire)
    {
        if (peer.External && wire.CallId != 0)
        {
            wire = wire with { ReplyNode = peer.Name }; // node names of another cluster mean nothing here
        }

        var id = ProcessId.FromGuid(wire.Target);
        var route = _node.Routes.Find(id);
        if (route?.Local is { } local)
        {
            ProcessMessage message;
            try
            {
                message = FromWire(local.Type, wire);
            }
            catch (InvalidDataException exception)
            {
                ReplyFailure(wire, exception);
                return;
            }

            try
            {
                Deliver(route, wire.TypeId, null, message);
            }
            catch (ProcessStoppedException exception)
            {
                message.Fail(exception);
            }

            return;
        }

        if (route is { Stopped: true })
        {
            ReplyFailure(wire, ProcessStoppedException.For(id, wire.TypeId));
            return;
        }

        _ = ForwardAsync(wire, id, route?.Node);
    }

    /// <summary>
    /// Follows this node's forwarding entry; after a few hops, or without one, asks the directory, which every committed
    /// move updates (forwarding entries and hints can be stale, and stale ones could loop).
    /// </summary>
    private async Task ForwardAsync(DeliverMessage wire, ProcessId id, string? next)
    {
        if (next is null || next == _node.Name || wire.Hops >= DirectoryAfterHops)
        {
            next = await LocateQuietlyAsync(id).ConfigureAwait(false) ?? next;
        }

        if (next is not null && next != _node.Name && _sender.IsLink(next) && wire.Hops < MaxHops)
        {
            await ForwardOverLinkAsync(next, wire, id).ConfigureAwait(false);
            return;
        }

        if (next is not null && next != _node.Name && wire.Hops < MaxHops && await _sender.TrySendAsync(next, ForLink(next, wire with { Hops = wire.Hops + 1 })).ConfigureAwait(false))
        {
            MobilityMetrics.MessagesForwarded.Add(1);
            var sender = OriginNode(wire.Origin);
            if (sender is not null && sender != next)
            {
                _ = _sender.TrySendAsync(sender, new MovedMessage(wire.Target, next));
            }

            return;
        }

        ReplyFailure(wire, ProcessStoppedException.For(id, wire.TypeId, $"node '{_node.Name}' does not host it and cannot find it"));
    }

    /// <summary>Decodes a message for <paramref name="type"/>; a call's reply goes back to its caller's node.</summary>
    /// <exception cref="InvalidDataException">The message does not fit the type.</exception>
    public ProcessMessage FromWire(ProcessType type, DeliverMessage wire)
    {
        if (wire.TypeId != type.TypeId)
        {
            throw new InvalidDataException($"A message for a '{wire.TypeId}' reached process {type.TypeId}#{ProcessId.FromGuid(wire.Target)}.");
        }

        ProcessMessage message;
        if (wire.HandlerId < 0)
        {
            message = WireCodec.DecodeSystemMessage(wire.HandlerId, wire.Arguments, _node.SerializerOptions);
        }
        else
        {
            message = WireCodec.DecodeArguments(type, wire.HandlerId, wire.Arguments, _node.SerializerOptions);
        }

        message.Origin = wire.Origin.Length == 0 ? null : wire.Origin;
        message.Sequence = wire.Sequence;
        if (wire.CallId != 0)
        {
            message.ReplyRemotely(this, wire.ReplyNode, wire.CallId);
        }

        return message;
    }

    private void ReplyFailure(DeliverMessage wire, Exception exception)
    {
        if (wire.CallId != 0)
        {
            ((IRemoteReplies)this).Fail(wire.ReplyNode, wire.CallId, exception);
        }
        else
        {
            Log.CastDropped(_node.Logger, wire.TypeId, ProcessId.FromGuid(wire.Target), exception.Message);
        }
    }

    void IRemoteReplies.Reply<TResult>(string node, long callId, TResult result)
    {
        byte[] bytes;
        try
        {
            bytes = WireCodec.Encode(result, _node.SerializerOptions);
        }
        catch (Exception exception) when (exception is MemoryPack.MemoryPackSerializationException or NotSupportedException)
        {
            ((IRemoteReplies)this).Fail(node, callId, exception);
            return;
        }

        SendReply(node, new ReplyMessage(callId, ReplyStatus.Ok, bytes, null, null));
    }

    void IRemoteReplies.Fail(string node, long callId, Exception exception) =>
        SendReply(node, exception switch
        {
            ProcessStoppedException stopped => new ReplyMessage(callId, ReplyStatus.Stopped, null, null, stopped.Message),
            _ => new ReplyMessage(callId, ReplyStatus.Failed, null, RemoteErrors.TypeOf(exception), RemoteErrors.MessageOf(exception)),
        });

    private void SendReply(string node, ReplyMessage reply)
    {
        if (node == _node.Name)
        {
            OnReply(reply); // the call came home with its process
            return;
        }

        _ = _sender.TrySendAsync(node, reply);
    }

    private void OnReply(ReplyMessage reply)
    {
        if (!_pendingCalls.TryRemove(reply.CallId, out var pending))
        {
            if (_relays.TryRemove(reply.CallId, out var relay))
            {
                SendReply(relay.Node, reply with { CallId = relay.CallId });
            }

            return; // otherwise the caller gave up (timeout): a late reply is dropped
        }

        var message = pending.Message;
        switch (reply.Status)
        {
            case ReplyStatus.Ok:
                try
                {
                    message.CompleteFromWire(reply.Result ?? [], _node.SerializerOptions);
                }
                catch (MemoryPack.MemoryPackSerializationException exception)
                {
                    message.Fail(new InvalidDataException($"The reply to '{message.HandlerName}' could not be decoded.", exception));
                }

                break;
            case ReplyStatus.Stopped:
                message.Fail(new ProcessStoppedException(default, reply.ErrorMessage ?? "The process has stopped."));
                break;
            default:
                message.Fail(RemoteErrors.Rebuild(reply.ErrorType ?? "System.Exception", reply.ErrorMessage ?? string.Empty));
                break;
        }
    }

    /// <summary>
    /// Fails the calls awaiting a node that went down (their process went with it: stopped) or a link that went down
    /// (the process may live on across it: unreachable).
    /// </summary>
    public void FailCallsTo(string node)
    {
        var link = _sender.IsLink(node);
        Exception Failure(string handler) => link
            ? new ProcessUnreachableException(default, $"The link to '{node}' went down before the process answered '{handler}'; it may still be alive there.")
            : new ProcessStoppedException(default, $"Node '{node}' went down before the process answered '{handler}'.");

        foreach (var (relayId, relay) in _relays)
        {
            if (relay.Link == node && !_retrying.ContainsKey(relayId) && _relays.TryRemove(relayId, out _))
            {
                ((IRemoteReplies)this).Fail(relay.Node, relay.CallId, Failure("a relayed call"));
            }
        }

        foreach (var (callId, pending) in _pendingCalls)
        {
            if (pending.Node == node && !_retrying.ContainsKey(callId) && _pendingCalls.TryRemove(callId, out _))
            {
                pending.Message.Fail(Failure(pending.Message.HandlerName));
            }
        }
    }

    /// <summary>Sends messages that reached a process after it left to where it lives now (or fails them).</summary>
    public void ForwardAll(ProcessId id, string typeId, IReadOnlyList<ProcessMessage> messages)
    {
        var route = _node.Routes.For(id);
        foreach (var message in messages)
        {
            try
            {
                Deliver(route, typeId, null, message);
                MobilityMetrics.MessagesForwarded.Add(1);
            }
            catch (ProcessStoppedException exception)
            {
                message.Fail(exception);
            }
        }
    }

    /// <summary>Undoes <see cref="ToWire"/> for messages that stay here after all (a move rolled back).</summary>
    public void ForgetWired(IEnumerable<DeliverMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message.CallId != 0 && message.ReplyNode == _node.Name && _pendingCalls.TryRemove(message.CallId, out var pending))
            {
                pending.Message.PendingCallId = 0;
            }

            if (message.CallId != 0 && message.ReplyNode == _node.Name)
            {
                _relays.TryRemove(message.CallId, out _); // the message stays here: no reply will cross the link for it
            }
        }
    }

    private static string? OriginNode(string origin)
    {
        var hash = origin.LastIndexOf('#');
        return hash > 0 ? origin[..hash] : null;
    }
}
