using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;
using Mobility.Processes;

namespace Mobility.Nodes;

/// <summary>
/// Messaging: every message goes to where its process lives, here or on another node of the cluster, or across a
/// link to another cluster; calls awaited here wait for their replies, and replies of calls relayed across a link go
/// back to their callers. Owns the messaging part of the cluster protocol (<see cref="DeliverMessage"/>,
/// <see cref="ReplyMessage"/>).
/// </summary>
internal sealed partial class MessageRouter : IProcessRouter, IRemoteReplies, IMonitoringRouter
{
    private const int MaxHops = 8;
    private const int DirectoryAfterHops = 2;

    private readonly NodeContext _node;
    private readonly NodeSender _sender;

    // Calls awaited here whose processes live on other nodes, by the id their replies carry.
    private readonly ConcurrentDictionary<long, (CallReply Reply, string Handler, PeerAddress Node)> _pendingCalls = new();

    // Calls forwarded across a link to another cluster, whose callers live on other nodes of this one: the reply
    // comes back here (the other cluster cannot reach them) and is relayed to (caller node, caller's call id).
    private readonly ConcurrentDictionary<long, (string Node, long CallId, PeerAddress Link)> _relays = new();

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

    /// <summary>Registers the messaging handlers: both inline (they read the arguments or result out of the frame), both open to links.</summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.InlineTrailed<DeliverMessage>(Receive, ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.InlineTrailed<ReplyMessage>((_, reply, result) => OnReply(reply, result), ClusterDispatcher.Senders.MembersAndLinks);
    }

    string IProcessRouter.NodeName => _node.Name;

    TimeSpan IProcessRouter.DefaultCallTimeout => _node.Options.CallTimeout;

    TimeSpan IProcessRouter.MigrationTimeout => _node.Options.MigrationTimeout;

    void IProcessRouter.Post(ProcessRef target, Envelope envelope)
    {
        var route = _node.Routes.For(target);
        envelope = envelope with { Origin = _node.Origin };
        if (route.Local is { } local)
        {
            // Numbered and enqueued in one step (under the mailbox's lock), so this node's own messages reach its
            // mailbox in order and never wait in the hold-back buffer.
            if (local.TryPostNumbered(ref envelope, ref route.LastSequence))
            {
                return;
            }
        }

        // Not here: numbered as it is queued for the node it goes to (SendRemoteAsync), so this node's messages to a
        // process leave in the order of their numbers.
        Deliver(route, target.TypeId, target.NodeHint, envelope);
    }

    /// <summary>A message posted on this node that has no number in its stream yet.</summary>
    private bool PostedHereUnnumbered(in Envelope envelope) => envelope.Sequence == 0 && envelope.Origin == _node.Origin;

    void IProcessRouter.Withdraw(CallReply reply)
    {
        if (reply.PendingCallId != 0)
        {
            _pendingCalls.TryRemove(reply.PendingCallId, out _);
        }
    }

    /// <summary>Hands the message to the process here, or sends it to the peer it lives behind.</summary>
    /// <exception cref="ProcessStoppedException">The process is known to have stopped, or cannot be located.</exception>
    public void Deliver(Route route, string typeId, string? hint, Envelope envelope)
    {
        var spin = new SpinWait();
        while (true)
        {
            PeerAddress? peer;
            switch (route.Endpoint)
            {
                case LocalEndpoint { Process: var local }:
                    if (PostedHereUnnumbered(envelope) ? local.TryPostNumbered(ref envelope, ref route.LastSequence) : local.TryPost(envelope))
                    {
                        return;
                    }

                    spin.SpinOnce(); // it is stopping or leaving: its route changes before its mailbox closes
                    continue;
                case PeerEndpoint { Address: var known }:
                    peer = known;
                    break;
                case var stopped when ReferenceEquals(stopped, RouteEndpoint.Stopped):
                    throw ProcessStoppedException.For(route.Id, typeId);
                default:
                    peer = hint is null || hint == _node.Name ? null : PeerAddress.Parse(hint);
                    if (peer is not null)
                    {
                        route.Heard(peer); // read once: the next message goes there without reading the hint again
                    }

                    break;
            }

            if (_node.Membership is null)
            {
                throw ProcessStoppedException.For(route.Id, typeId, $"it does not run on node '{_node.Name}', which belongs to no cluster");
            }

            var numberFrom = PostedHereUnnumbered(envelope) ? route : null;
            _ = peer is null
                ? LocateThenSendAsync(route, typeId, envelope, numberFrom)
                : SendRemoteAsync(peer, route, typeId, envelope, numberFrom);
            return;
        }
    }

    /// <summary>
    /// A process this node knows no endpoint for (the node it was last known on went down, or no node was ever named):
    /// the directory says where it lives. Numbered before the lookup, so it keeps its place among this node's messages.
    /// </summary>
    private async Task LocateThenSendAsync(Route route, string typeId, Envelope envelope, ISequenceSource? numberFrom)
    {
        if (numberFrom is not null && envelope.Sequence == 0)
        {
            envelope = envelope with { Sequence = numberFrom.NextSequence() };
        }

        var located = await LocateQuietlyAsync(route.Id).ConfigureAwait(false);
        if (located is null || located.Name == _node.Name)
        {
            // Reported to the sender, but not written into the route: a later message asks again (the directory may be
            // re-homing its entries after a node went down).
            Drop(envelope, route.Id, typeId, ProcessStoppedException.NotFound(route.Id, typeId, "the cluster directory knows no node that hosts it"));
            return;
        }

        route.Heard(located);
        await SendRemoteAsync(located, route, typeId, envelope, numberFrom: null).ConfigureAwait(false);
    }

    /// <summary>Sends messages that reached a process after it left to where it lives now (or fails them).</summary>
    public void ForwardAll(ProcessId id, string typeId, IReadOnlyList<Envelope> messages)
    {
        var route = _node.Routes.For(id);
        foreach (var envelope in messages)
        {
            try
            {
                Deliver(route, typeId, null, envelope);
                MobilityMetrics.MessagesForwarded.Add(1);
            }
            catch (ProcessStoppedException exception)
            {
                Drop(envelope, id, typeId, exception);
            }
        }
    }

    /// <summary>A message that will not be handled: its caller hears why; a cast, which has no caller, leaves a log line.</summary>
    private void Drop(Envelope envelope, ProcessId id, string typeId, Exception exception)
    {
        if (!envelope.Message.IsCall)
        {
            Log.CastDropped(_node.Logger, typeId, id, exception.Message);
        }

        envelope.Fail(exception);
    }
}
