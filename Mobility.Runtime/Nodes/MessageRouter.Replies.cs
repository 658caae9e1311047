using System.Buffers;
using System.Collections.Concurrent;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility.Nodes;

/// <summary>Replies: to calls made here (completing them), to calls relayed across a link (passing them on), and the failure of the calls awaiting a node or link that went down.</summary>
internal sealed partial class MessageRouter
{
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
        if (node != _node.Name)
        {
            _ = SendResultAsync(node, callId, result);
            return;
        }

        // The call came home with its process: no frame to write the result into.
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

        OnReply(new ReplyMessage(callId, ReplyStatus.Ok, bytes, null, null), default);
    }

    /// <summary>Sends a call's result to its caller's node, written straight into the reply's frame; a result that cannot be written fails the call.</summary>
    private async Task SendResultAsync<TResult>(string node, long callId, TResult result)
    {
        try
        {
            await _sender.TrySendAsync(
                node,
                new ReplyMessage(callId, ReplyStatus.Ok, null, null, null),
                (result, _node.SerializerOptions),
                static (reply, frame) => WireCodec.Write(frame, reply.result, reply.SerializerOptions)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MemoryPack.MemoryPackSerializationException or NotSupportedException or InvalidOperationException)
        {
            // Nothing was sent (the result cannot be encoded, or makes the frame too large): the caller hears why instead.
            ((IRemoteReplies)this).Fail(node, callId, exception);
        }
    }

    void IRemoteReplies.Fail(string node, long callId, Exception exception) =>
        SendReply(node, exception switch
        {
            ProcessStoppedException { Reason: ProcessStopReason.NotFound } lost => new ReplyMessage(callId, ReplyStatus.NotFound, null, null, lost.Message),
            ProcessStoppedException stopped => new ReplyMessage(callId, ReplyStatus.Stopped, null, null, stopped.Message),
            _ => new ReplyMessage(callId, ReplyStatus.Failed, null, RemoteErrors.TypeOf(exception), RemoteErrors.MessageOf(exception)),
        });

    private void SendReply(string node, ReplyMessage reply)
    {
        if (node == _node.Name)
        {
            OnReply(reply, default); // the call came home with its process
            return;
        }

        _ = _sender.TrySendAsync(node, reply);
    }

    /// <summary>A reply arrived: the call made here completes, a relayed one is passed on.</summary>
    /// <param name="reply">The reply.</param>
    /// <param name="trailer">The bytes after it in its frame (its result, unless it carries it): read before this returns.</param>
    private void OnReply(ReplyMessage reply, ReadOnlySequence<byte> trailer)
    {
        if (!_pendingCalls.TryRemove(reply.CallId, out var pending))
        {
            if (_relays.TryRemove(reply.CallId, out var relay))
            {
                Relay(relay.Node, relay.CallId, reply, trailer);
            }

            return; // otherwise the caller gave up (timeout): a late reply is dropped
        }

        var call = pending.Reply;
        switch (reply.Status)
        {
            case ReplyStatus.Ok:
                try
                {
                    call.CompleteFromWire(ResultOf(reply, trailer), _node.SerializerOptions);
                }
                catch (InvalidDataException exception)
                {
                    call.Fail(new InvalidDataException($"The reply to '{pending.Handler}' could not be decoded: {exception.Message}", exception));
                }

                break;
            case ReplyStatus.Stopped:
                call.Fail(new ProcessStoppedException(default, reply.ErrorMessage ?? "The process has stopped."));
                break;
            case ReplyStatus.NotFound:
                call.Fail(new ProcessStoppedException(default, reply.ErrorMessage ?? "The process could not be found.", ProcessStopReason.NotFound));
                break;
            default:
                call.Fail(RemoteErrors.Rebuild(reply.ErrorType ?? "System.Exception", reply.ErrorMessage ?? string.Empty));
                break;
        }
    }

    /// <summary>Passes a reply on to the caller of a call relayed across a link: its result, out of the frame, goes with it.</summary>
    private void Relay(string node, long callId, ReplyMessage reply, ReadOnlySequence<byte> trailer)
    {
        ReplyMessage relayed;
        try
        {
            relayed = trailer.IsEmpty ? reply with { CallId = callId } : reply with { CallId = callId, Result = ResultOf(reply, trailer).ToArray() };
        }
        catch (InvalidDataException exception)
        {
            ((IRemoteReplies)this).Fail(node, callId, exception);
            return;
        }

        SendReply(node, relayed);
    }

    /// <summary>The encoded result: the one <paramref name="reply"/> carries, or the bytes after it in its frame.</summary>
    /// <exception cref="InvalidDataException">It has both (no sender writes that).</exception>
    private static ReadOnlySequence<byte> ResultOf(ReplyMessage reply, ReadOnlySequence<byte> trailer) =>
        reply.Result is not { Length: > 0 } result ? trailer
        : trailer.IsEmpty ? new(result)
        : throw new InvalidDataException($"The reply to call {reply.CallId} carries its result and more bytes after it.");

    /// <summary>
    /// Fails the calls awaiting a node that went down (their process went with it: stopped) or a link that went down
    /// (the process may live on across it: unreachable).
    /// </summary>
    public void FailCallsTo(PeerAddress node)
    {
        Exception Failure(string handler) => node.IsLink
            ? new ProcessUnreachableException(default, $"The link to '{node}' went down before the process answered '{handler}'; it may still be alive there.")
            : ProcessStoppedException.NodeLost(node.Name, handler);

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
                pending.Reply.Fail(Failure(pending.Handler));
            }
        }
    }
}
