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
    public void FailCallsTo(PeerAddress node)
    {
        Exception Failure(string handler) => node.IsLink
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
}
