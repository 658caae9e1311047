using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility.Nodes;

/// <summary>Messages between their in-process form and their wire form: calls awaited here registered for their replies, calls crossing a link relayed.</summary>
internal sealed partial class MessageRouter
{
    /// <summary>Converts a message to its wire form; a call awaited here is registered for its reply.</summary>
    public DeliverMessage ToWire(ProcessId target, string typeId, ProcessMessage message, PeerAddress node, int hops = 0)
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
    private DeliverMessage ForLink(PeerAddress node, DeliverMessage wire)
    {
        if (wire.CallId == 0 || wire.ReplyNode == _node.Name || !node.IsLink)
        {
            return wire;
        }

        var relay = Interlocked.Increment(ref _lastCallId);
        _relays[relay] = (wire.ReplyNode, wire.CallId, node);
        return wire with { CallId = relay, ReplyNode = _node.Name };
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
}
