using System.Buffers;
using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace Mobility.Cluster;

/// <summary>
/// Routes each cluster message that arrives on a connection to the subsystem that owns its type (directory,
/// migration, messaging, monitoring, cross-cluster links). Every subsystem registers its handlers once, before the
/// node starts, and says for each whether it runs inline or is handed off.
/// </summary>
/// <remarks>
/// <para>
/// Dispatch runs on the connection's receive loop, which reads the next frame only once dispatch returns: a handler
/// that waited there for network I/O would hold back every later frame of that peer — its answers, its heartbeats —
/// and when the I/O it waits for is an answer from that very peer, the connection stalls until a timeout. So no
/// handler is awaited here. An <b>inline</b> handler is synchronous: it never waits for I/O (it may post to a mailbox,
/// update a table, or start a send without awaiting it); inline handlers of one connection run in frame order. A
/// <b>handed-off</b> handler returns a task the loop does not wait for: it starts in frame order, runs its synchronous
/// part inline and the rest wherever its awaits continue; a failure is logged. Only an inline handler is given the
/// trailer of an <see cref="ITrailedMessage"/> (the bytes after the message in its frame): it is the frame's memory,
/// which goes back to the connection once the handler returns, so a handed-off handler never sees it.
/// </para>
/// <para>
/// A link to another cluster (a peer authenticated by the migration secret only) reaches only the handlers
/// registered as open to links; any other message from a link is dropped with a log line.
/// </para>
/// </remarks>
internal sealed class ClusterDispatcher(ILogger logger, string self)
{
    private readonly Dictionary<Type, Handler> _building = [];
    private FrozenDictionary<Type, Handler>? _handlers;

    /// <summary>Who may send a message type.</summary>
    public enum Senders
    {
        /// <summary>Only members of this cluster.</summary>
        Members,

        /// <summary>Members, and links to other clusters.</summary>
        MembersAndLinks,
    }

    /// <summary>Registers a synchronous handler of <typeparamref name="TMessage"/>, run on the receive loop.</summary>
    public void Inline<TMessage>(Action<Peer, TMessage> handle, Senders senders = Senders.Members)
        where TMessage : IClusterMessage =>
        Add(typeof(TMessage), new Handler((peer, message, _) =>
        {
            handle(peer, (TMessage)message);
            return null;
        }, senders));

    /// <summary>
    /// Registers a synchronous handler of <typeparamref name="TMessage"/>, run on the receive loop with the bytes that
    /// followed the message in its frame (empty if none): valid only until the handler returns, so it decodes or copies
    /// them before it does.
    /// </summary>
    public void InlineTrailed<TMessage>(Action<Peer, TMessage, ReadOnlySequence<byte>> handle, Senders senders = Senders.Members)
        where TMessage : ITrailedMessage =>
        Add(typeof(TMessage), new Handler((peer, message, trailer) =>
        {
            handle(peer, (TMessage)message, trailer);
            return null;
        }, senders));

    /// <summary>Registers a handler of <typeparamref name="TMessage"/> that the receive loop starts and does not wait for.</summary>
    public void HandOff<TMessage>(Func<Peer, TMessage, Task> handle, Senders senders = Senders.Members)
        where TMessage : IClusterMessage =>
        Add(typeof(TMessage), new Handler((peer, message, _) => handle(peer, (TMessage)message), senders));

    /// <summary>Whether a subsystem registered a handler of the message type <paramref name="type"/>.</summary>
    public bool Handles(Type type) => _handlers?.ContainsKey(type) ?? _building.ContainsKey(type);

    /// <summary>Hands <paramref name="message"/> from <paramref name="peer"/> to its owner; never waits.</summary>
    /// <param name="peer">The sender.</param>
    /// <param name="message">The message.</param>
    /// <param name="trailer">The bytes after the message in its frame, for a handler registered with <see cref="InlineTrailed"/>.</param>
    public void Dispatch(Peer peer, IClusterMessage message, ReadOnlySequence<byte> trailer)
    {
        var handlers = _handlers ??= _building.ToFrozenDictionary();
        if (!handlers.TryGetValue(message.GetType(), out var handler))
        {
            ClusterLog.UnhandledMessage(logger, self, peer.Name, message.GetType().Name);
            return;
        }

        if (peer.External && handler.Senders != Senders.MembersAndLinks)
        {
            ClusterLog.RefusedFromLink(logger, self, peer.Name, message.GetType().Name);
            return;
        }

        Task? running;
        try
        {
            running = handler.Handle(peer, message, trailer);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            ClusterLog.HandlerFailed(logger, self, peer.Name, message.GetType().Name, exception);
            return;
        }

        if (running is { IsCompleted: false })
        {
            _ = ObserveAsync(running, peer.Name, message.GetType().Name);
        }
        else if (running is { IsFaulted: true })
        {
            ClusterLog.HandlerFailed(logger, self, peer.Name, message.GetType().Name, running.Exception.InnerException ?? running.Exception);
        }
    }

    private void Add(Type type, Handler handler)
    {
        if (_handlers is not null)
        {
            throw new InvalidOperationException("Cluster message handlers are registered before the first message is dispatched.");
        }

        if (!_building.TryAdd(type, handler))
        {
            throw new InvalidOperationException($"Two subsystems claim the cluster message '{type.Name}'.");
        }
    }

    private async Task ObserveAsync(Task running, string peer, string message)
    {
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            ClusterLog.HandlerFailed(logger, self, peer, message, exception);
        }
    }

    private sealed record Handler(Func<Peer, IClusterMessage, ReadOnlySequence<byte>, Task?> Handle, Senders Senders);
}
