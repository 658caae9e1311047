using System.Buffers;
using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Nodes;

/// <summary>Messages to and from other nodes: sending to where a process lives (asking the directory when that node is gone), holding messages while a link is down, and forwarding what arrives for a process that is not here.</summary>
internal sealed partial class MessageRouter
{
    /// <summary>
    /// Sends a message to the node its process lives on (or across a link), asking the directory once if that node is
    /// gone; fails the message if it cannot be delivered. One posted here without a number takes it from
    /// <paramref name="numberFrom"/> as it is queued. Its arguments go straight from the message into each frame sent.
    /// </summary>
    private async Task SendRemoteAsync(PeerAddress node, Route route, string typeId, Envelope envelope, ISequenceSource? numberFrom)
    {
        if (!envelope.TryMarkSent())
        {
            return; // withdrawn by its sender meanwhile (a timeout or a cancellation it was told of): it does not leave
        }

        var message = envelope.Message;
        var wire = ToWire(route.Id, typeId, envelope, node, []);
        try
        {
            if (node.IsLink)
            {
                NodeSender.Number(wire, numberFrom); // a link may be re-dialled first: numbered now, in posting order
                if (!await SendOverLinkAsync(node, wire, message).ConfigureAwait(false))
                {
                    _pendingCalls.TryRemove(wire.CallId, out _);
                    Drop(envelope, route.Id, typeId, Unreachable(route.Id, typeId, node));
                }

                return;
            }

            if (await TrySendAsync(node, wire, message, numberFrom).ConfigureAwait(false))
            {
                return;
            }

            NodeSender.Number(wire, numberFrom); // it will not leave in its turn: numbered now, whatever happens next

            // The node we thought hosts it is gone: ask the directory where the process lives now.
            var located = await LocateQuietlyAsync(route.Id).ConfigureAwait(false);
            if (located is not null && located != node && located.Name != _node.Name && await TrySendAsync(located, wire, message).ConfigureAwait(false))
            {
                route.Heard(located);
                if (wire.CallId != 0 && _pendingCalls.TryGetValue(wire.CallId, out var pending))
                {
                    _pendingCalls[wire.CallId] = pending with { Node = located };
                }

                return;
            }

            _pendingCalls.TryRemove(wire.CallId, out _);
            Drop(envelope, route.Id, typeId, ProcessStoppedException.NotFound(route.Id, typeId, $"node '{node}', where it lived, cannot be reached, and the directory knows no other"));
        }
        catch (Exception exception) when (exception is NotSupportedException or MemoryPack.MemoryPackSerializationException or InvalidOperationException)
        {
            // Its arguments could not be written into a frame (or made it too large): nothing was sent. A number the
            // connection took for it was given back there; one taken before (a link, a second try) is given back here.
            if (numberFrom is not null && wire.Sequence != 0)
            {
                numberFrom.GiveBack(wire.Sequence);
            }

            if (envelope.Reply is { } reply)
            {
                ((IProcessRouter)this).Withdraw(reply);
            }

            Drop(envelope, route.Id, typeId, new InvalidOperationException($"A '{message.HandlerName}' message cannot be sent to another node: {exception.Message}", exception));
        }
    }

    /// <summary>Sends <paramref name="wire"/>, its arguments written from <paramref name="message"/> straight into the frame.</summary>
    /// <exception cref="Exception">The arguments could not be written: nothing was sent.</exception>
    private Task<bool> TrySendAsync(PeerAddress node, DeliverMessage wire, ProcessMessage message, ISequenceSource? numberFrom = null) =>
        _sender.TrySendAsync(
            node,
            wire,
            (message, _node.SerializerOptions),
            static (arguments, frame) => WireCodec.WriteArguments(frame, arguments.message, arguments.SerializerOptions),
            numberFrom);

    /// <summary>
    /// Sends across a link to another cluster, holding the message (and dialling the link again, with backoff) while
    /// the link is down, for at most <see cref="MobilityOptions.LinkRetryTimeout"/>.
    /// </summary>
    /// <param name="link">The link.</param>
    /// <param name="wire">The message.</param>
    /// <param name="arguments">The message its arguments are written from, or null when <paramref name="wire"/> carries them.</param>
    /// <returns>False if the link stayed down, or the caller gave up waiting meanwhile.</returns>
    private async Task<bool> SendOverLinkAsync(PeerAddress link, DeliverMessage wire, ProcessMessage? arguments)
    {
        if (wire.CallId != 0)
        {
            _retrying[wire.CallId] = 0;
        }

        try
        {
            return await RetrySendOverLinkAsync(link, wire, arguments).ConfigureAwait(false);
        }
        finally
        {
            _retrying.TryRemove(wire.CallId, out _);
        }
    }

    private async Task<bool> RetrySendOverLinkAsync(PeerAddress link, DeliverMessage wire, ProcessMessage? arguments)
    {
        var started = Environment.TickCount64;
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await (arguments is null ? _sender.TrySendAsync(link, wire) : TrySendAsync(link, wire, arguments)).ConfigureAwait(false))
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

    private async Task ForwardOverLinkAsync(PeerAddress link, DeliverMessage wire, ProcessId id)
    {
        var crossing = ForLink(link, wire with { Hops = wire.Hops + 1 });
        if (await SendOverLinkAsync(link, crossing, null).ConfigureAwait(false))
        {
            MobilityMetrics.MessagesForwarded.Add(1);
            return;
        }

        _relays.TryRemove(crossing.CallId, out _);
        ReplyFailure(wire, Unreachable(id, wire.TypeId, link));
    }

    private ProcessUnreachableException Unreachable(ProcessId id, string typeId, PeerAddress link) => new(
        id,
        $"Process {typeId}#{id} lives across the link '{link}', which stayed down for {_node.Options.LinkRetryTimeout.TotalSeconds:0.###} s " +
        "(MobilityOptions.LinkRetryTimeout): the message was not delivered.");

    /// <summary>The member the cluster directory says process <paramref name="id"/> lives on, or null if it does not know (yet).</summary>
    public async Task<PeerAddress?> LocateQuietlyAsync(ProcessId id)
    {
        try
        {
            return await _node.Directory.LookupAsync(id).ConfigureAwait(false) is { } node ? PeerAddress.Member(node) : null;
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
    /// <param name="peer">The sender.</param>
    /// <param name="wire">The message.</param>
    /// <param name="trailer">Its arguments, the frame's memory: decoded here, or copied out for a message forwarded.</param>
    private void Receive(Peer peer, DeliverMessage wire, ReadOnlySequence<byte> trailer)
    {
        if (peer.External && wire.CallId != 0)
        {
            wire = wire with { ReplyNode = peer.Name }; // node names of another cluster mean nothing here
        }

        var id = ProcessId.FromGuid(wire.Target);
        var route = _node.Routes.Find(id);
        if (route?.Local is { } local)
        {
            Envelope envelope;
            try
            {
                envelope = FromWire(local.Type, wire, trailer);
            }
            catch (InvalidDataException exception)
            {
                ReplyFailure(wire, exception);
                return;
            }

            try
            {
                Deliver(route, wire.TypeId, null, envelope);
            }
            catch (ProcessStoppedException exception)
            {
                Drop(envelope, id, wire.TypeId, exception);
            }

            return;
        }

        if (route is { Stopped: true })
        {
            ReplyFailure(wire, ProcessStoppedException.For(id, wire.TypeId));
            return;
        }

        // The rare path: forwarding outlives the frame, so the arguments are copied out of it first.
        DeliverMessage carried;
        try
        {
            carried = OutOfFrame(wire, trailer);
        }
        catch (InvalidDataException exception)
        {
            ReplyFailure(wire, exception);
            return;
        }

        _ = ForwardAsync(carried, id, route?.Node);
    }

    /// <summary>
    /// Follows this node's forwarding entry; after a few hops, or without one, asks the directory, which every committed
    /// move updates (forwarding entries and hints can be stale, and stale ones could loop).
    /// </summary>
    private async Task ForwardAsync(DeliverMessage wire, ProcessId id, PeerAddress? next)
    {
        if (next is null || next.Name == _node.Name || wire.Hops >= DirectoryAfterHops)
        {
            next = await LocateQuietlyAsync(id).ConfigureAwait(false) ?? next;
        }

        if (next is null || next.Name == _node.Name || wire.Hops >= MaxHops)
        {
            ReplyFailure(wire, ProcessStoppedException.NotFound(id, wire.TypeId, $"node '{_node.Name}' does not host it and the directory knows no other"));
            return;
        }

        if (next.IsLink)
        {
            await ForwardOverLinkAsync(next, wire, id).ConfigureAwait(false);
            return;
        }

        if (await _sender.TrySendAsync(next, ForLink(next, wire with { Hops = wire.Hops + 1 })).ConfigureAwait(false))
        {
            MobilityMetrics.MessagesForwarded.Add(1);
            if (Origin.NodeOf(wire.Origin) is { } sender && sender != next.Name)
            {
                _ = _sender.TrySendAsync(PeerAddress.Member(sender), new MovedMessage(wire.Target, next.Name));
            }

            return;
        }

        ReplyFailure(wire, ProcessStoppedException.NotFound(id, wire.TypeId, $"node '{_node.Name}' does not host it and the directory knows no other"));
    }
}
