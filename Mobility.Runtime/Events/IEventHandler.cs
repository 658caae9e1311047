namespace Mobility;

/// <summary>
/// A handler of an <see cref="EventManager{TEvent}"/> (Erlang's gen_event handler). Its instance is state of the
/// manager: it moves with it, so the class must be <c>[MemoryPackable]</c> (its serialized members are what
/// travels) and registered with every node that may hold it (<c>services.AddEventHandler&lt;THandler&gt;()</c>).
/// The manager runs its members one at a time, on the manager's own loop.
/// </summary>
/// <typeparam name="TEvent">The events the manager distributes.</typeparam>
public interface IEventHandler<TEvent>
{
    /// <summary>
    /// Handles one event. An exception removes this handler from its manager (<see cref="OnRemoved"/> runs with
    /// <see cref="EventHandlerRemovalReason.Failed"/>); the other handlers still get the event.
    /// </summary>
    ValueTask HandleAsync(TEvent e, EventHandlerContext<TEvent> context);

    /// <summary>
    /// Runs when the handler joins a manager (Erlang's <c>init</c>), before it sees any event. On a swap,
    /// <paramref name="replaced"/> is the handler it replaces (already removed), so it can take its state over.
    /// An exception refuses the handler: the add or swap fails with it.
    /// </summary>
    void OnAdded(EventHandlerContext<TEvent> context, IEventHandler<TEvent>? replaced)
    {
    }

    /// <summary>
    /// Runs when the handler leaves its manager (Erlang's <c>terminate</c>): removed, swapped out, failed, or
    /// the manager stopped. An exception here is logged and the removal goes on.
    /// </summary>
    void OnRemoved(EventHandlerRemoval removal, EventHandlerContext<TEvent> context)
    {
    }
}
