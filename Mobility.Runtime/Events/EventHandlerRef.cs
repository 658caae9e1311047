using Mobility.Events;
using Mobility.Generated;

namespace Mobility;

/// <summary>One handler of an event manager, by id, to call it alone. Obtained with <c>manager.Handler(id)</c>.</summary>
/// <typeparam name="TEvent">The events the manager distributes.</typeparam>
public readonly struct EventHandlerRef<TEvent>
{
    internal EventHandlerRef(ProcessRef<EventManager<TEvent>> manager, string id)
    {
        Manager = manager;
        Id = id;
    }

    /// <summary>The manager holding the handler.</summary>
    public ProcessRef<EventManager<TEvent>> Manager { get; }

    /// <summary>The handler's id.</summary>
    public string Id { get; }

    /// <summary>
    /// Calls the handler, which must implement <see cref="IEventHandlerCalls{TRequest, TReply}"/> with these types, and
    /// awaits its reply. If the handler throws, the call fails with its exception and the handler is removed.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The manager has no handler with this id.</exception>
    /// <exception cref="InvalidOperationException">The handler does not answer calls of these types.</exception>
    /// <remarks>From another node, failures arrive as <see cref="RemoteProcessException"/>.</remarks>
    public ValueTask<TReply> CallAsync<TRequest, TReply>(TRequest request, CancellationToken cancellationToken = default) =>
        MessageSender.CallAsync(
            Manager ?? throw new InvalidOperationException("This EventHandlerRef is empty: get one with manager.Handler(id)."),
            new EventHandlerCallMessage<TRequest, TReply>(Id, request),
            cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"{Manager}/{Id}";
}
