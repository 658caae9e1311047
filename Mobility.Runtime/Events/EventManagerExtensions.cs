using MemoryPack;
using Mobility.Events;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// The operations of an <see cref="EventManager{TEvent}"/>, on its reference. On the manager's own node,
/// events, handlers and requests are passed by reference (treat them as immutable once sent); to another node
/// they are encoded with MemoryPack. Calls time out like any Mobility call.
/// </summary>
public static class EventManagerExtensions
{
    /// <param name="manager">The event manager.</param>
    /// <typeparam name="TEvent">The events it distributes.</typeparam>
    extension<TEvent>(ProcessRef<EventManager<TEvent>> manager)
    {
        /// <summary>
        /// Adds <paramref name="handler"/> under <paramref name="id"/> (default: its class's name); its
        /// <see cref="IEventHandler{TEvent}.OnAdded"/> runs, then it gets every later event.
        /// </summary>
        /// <exception cref="InvalidOperationException">
        /// The id is taken, or the handler's class is not registered with the manager's node
        /// (<c>services.AddEventHandler&lt;THandler&gt;()</c>); from another node, as <see cref="RemoteProcessException"/>.
        /// </exception>
        /// <exception cref="ArgumentException">The handler is an instance of a class derived from <typeparamref name="THandler"/>.</exception>
        public ValueTask AddHandlerAsync<THandler>(THandler handler, string? id = null, CancellationToken cancellationToken = default)
            where THandler : class, IEventHandler<TEvent>, IMemoryPackable<THandler> =>
            MessageSender.CallWithoutResultAsync(manager, new AddEventHandlerMessage(IdFor(handler, id), HandlerPayload.Local(handler)), cancellationToken);

        /// <summary>Removes the handler with id <paramref name="id"/> (its <see cref="IEventHandler{TEvent}.OnRemoved"/> runs).</summary>
        /// <returns>False if the manager has no such handler.</returns>
        public ValueTask<bool> RemoveHandlerAsync(string id, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
            return MessageSender.CallAsync(manager, new RemoveEventHandlerMessage(id), cancellationToken);
        }

        /// <summary>
        /// Replaces the handler <paramref name="oldId"/> by <paramref name="handler"/>, at its place in the order, between
        /// two events: the old one's <see cref="IEventHandler{TEvent}.OnRemoved"/> runs
        /// (<see cref="EventHandlerRemovalReason.Swapped"/>), then the new one's <see cref="IEventHandler{TEvent}.OnAdded"/>
        /// receives the old handler to take its state over. If that throws, the old handler is gone and the new one not added.
        /// </summary>
        /// <param name="oldId">The handler to replace.</param>
        /// <param name="handler">The new handler.</param>
        /// <param name="newId">Its id (default: its class's name).</param>
        /// <param name="cancellationToken">Cancels the wait for the reply.</param>
        /// <exception cref="KeyNotFoundException">No handler has id <paramref name="oldId"/>; nothing changed.</exception>
        /// <exception cref="InvalidOperationException">Another handler has id <paramref name="newId"/>, or the class is not registered; nothing changed.</exception>
        public ValueTask SwapHandlerAsync<THandler>(string oldId, THandler handler, string? newId = null, CancellationToken cancellationToken = default)
            where THandler : class, IEventHandler<TEvent>, IMemoryPackable<THandler>
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(oldId);
            return MessageSender.CallWithoutResultAsync(manager, new SwapEventHandlerMessage(oldId, IdFor(handler, newId), HandlerPayload.Local(handler)), cancellationToken);
        }

        /// <summary>
        /// Notifies every handler of <paramref name="e"/> (Erlang's <c>gen_event:notify</c>): enqueues it and returns at
        /// once. Each handler gets the events of one sender in the order they were sent.
        /// </summary>
        /// <exception cref="ProcessStoppedException">The manager is known to have stopped.</exception>
        public void Notify(TEvent e) => MessageSender.Cast(manager, new NotifyMessage<TEvent>(e));

        /// <summary>
        /// Notifies every handler of <paramref name="e"/> and returns once all have handled it
        /// (Erlang's <c>gen_event:sync_notify</c>).
        /// </summary>
        /// <returns>The ids of the handlers that handled it, and those that threw on it and were removed.</returns>
        public ValueTask<SyncNotifyResult> SyncNotifyAsync(TEvent e, CancellationToken cancellationToken = default) =>
            MessageSender.CallAsync(manager, new SyncNotifyMessage<TEvent>(e), cancellationToken);

        /// <summary>
        /// The handler with id <paramref name="id"/>, to call it alone (Erlang's <c>gen_event:call</c>):
        /// <c>await manager.Handler("count").CallAsync&lt;string, int&gt;("front")</c>.
        /// </summary>
        public EventHandlerRef<TEvent> Handler(string id)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
            return new EventHandlerRef<TEvent>(manager, id);
        }

        /// <summary>The ids of the manager's handlers, in the order they get events.</summary>
        public async ValueTask<IReadOnlyList<string>> WhichHandlersAsync(CancellationToken cancellationToken = default) =>
            await MessageSender.CallAsync(manager, new WhichEventHandlersMessage(), cancellationToken).ConfigureAwait(false);
    }

    private static string IdFor<THandler>(THandler handler, string? id)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (handler.GetType() != typeof(THandler))
        {
            throw new ArgumentException(
                $"The handler is a '{handler.GetType().FullName}' passed as a '{typeof(THandler).FullName}': pass it typed as its own class, " +
                "which is the class that is encoded and must be registered.", nameof(handler));
        }

        if (id is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(id);
        }

        return id ?? typeof(THandler).Name;
    }
}
