using System.Buffers;
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
    /// <param name="target">The process.</param>
    /// <param name="typeId">Its type.</param>
    /// <param name="envelope">The message.</param>
    /// <param name="node">Where it goes.</param>
    /// <param name="arguments">
    /// The encoded arguments, for a message kept apart from a frame (queued in an offer); empty for one sent on its own,
    /// whose arguments the send writes straight into its frame (<see cref="WireCodec.WriteArguments"/>).
    /// </param>
    public DeliverMessage ToWire(ProcessId target, string typeId, Envelope envelope, PeerAddress node, byte[] arguments)
    {
        long callId = 0;
        var replyNode = string.Empty;
        if (envelope.Reply?.RemoteCaller is { } caller)
        {
            (replyNode, callId) = caller;
        }
        else if (envelope.Reply is { } reply)
        {
            callId = Interlocked.Increment(ref _lastCallId);
            reply.PendingCallId = callId;
            _pendingCalls[callId] = (reply, envelope.Message.HandlerName, node);
            replyNode = _node.Name;
        }

        return ForLink(node, new DeliverMessage(
            target.ToGuid(), typeId, envelope.Message.HandlerId, callId, replyNode, envelope.Origin ?? string.Empty, envelope.Sequence,
            arguments, 0));
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
    /// <param name="type">The process type found.</param>
    /// <param name="wire">The message.</param>
    /// <param name="trailer">The bytes after it in its frame: its arguments, unless it carries them (read before this returns).</param>
    /// <exception cref="InvalidDataException">The message does not fit the type.</exception>
    public Envelope FromWire(ProcessType type, DeliverMessage wire, ReadOnlySequence<byte> trailer)
    {
        if (wire.TypeId != type.TypeId)
        {
            throw new InvalidDataException($"A message for a '{wire.TypeId}' reached process {type.TypeId}#{ProcessId.FromGuid(wire.Target)}.");
        }

        var arguments = ArgumentsOf(wire, trailer);
        var message = wire.HandlerId < 0
            ? WireCodec.DecodeSystemMessage(wire.HandlerId, arguments, _node.SerializerOptions)
            : WireCodec.DecodeArguments(type, wire.HandlerId, arguments, _node.SerializerOptions);

        return new Envelope(
            message,
            wire.CallId == 0 ? null : message.ReplyTo(this, wire.ReplyNode, wire.CallId),
            wire.Origin.Length == 0 ? null : wire.Origin,
            wire.Sequence);
    }

    /// <summary>The encoded arguments: those <paramref name="wire"/> carries, or the bytes after it in its frame.</summary>
    /// <exception cref="InvalidDataException">It has both (no sender writes that).</exception>
    private static ReadOnlySequence<byte> ArgumentsOf(DeliverMessage wire, ReadOnlySequence<byte> trailer) =>
        wire.Arguments.Length == 0 ? trailer
        : trailer.IsEmpty ? new(wire.Arguments)
        : throw new InvalidDataException($"A message for process {wire.TypeId}#{ProcessId.FromGuid(wire.Target)} carries its arguments and more bytes after it.");

    /// <summary>
    /// The same message carrying its arguments, out of the frame they followed it in: for a message handed on after its
    /// frame's handler returned (forwarded), when the frame's memory is no longer there.
    /// </summary>
    /// <exception cref="InvalidDataException">It has both (no sender writes that).</exception>
    private static DeliverMessage OutOfFrame(DeliverMessage wire, ReadOnlySequence<byte> trailer) =>
        trailer.IsEmpty ? wire : wire with { Arguments = ArgumentsOf(wire, trailer).ToArray() };

    /// <summary>Undoes <see cref="ToWire"/> for messages that stay here after all (a move rolled back).</summary>
    public void ForgetWired(IEnumerable<DeliverMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message.CallId != 0 && message.ReplyNode == _node.Name && _pendingCalls.TryRemove(message.CallId, out var pending))
            {
                pending.Reply.PendingCallId = 0;
            }

            if (message.CallId != 0 && message.ReplyNode == _node.Name)
            {
                _relays.TryRemove(message.CallId, out _); // the message stays here: no reply will cross the link for it
            }
        }
    }
}
