using Microsoft.Extensions.Logging;

namespace Mobility;

/// <summary>What an event handler may use while its manager runs one of its members.</summary>
public abstract class EventHandlerContext
{
    private protected EventHandlerContext(string handlerId, IServiceProvider services, ILogger logger)
    {
        HandlerId = handlerId;
        Services = services;
        Logger = logger;
    }

    /// <summary>The id the handler was added under.</summary>
    public string HandlerId { get; }

    /// <summary>The services of the node the manager runs on now (they change when the manager moves).</summary>
    public IServiceProvider Services { get; }

    /// <summary>A logger for the handler (category: the handler's class).</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// For a <c>SyncNotifyAsync</c> or a handler call from the manager's own node: the caller's token.
    /// Otherwise none (it is not carried across nodes).
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The reference to the manager, untyped (<see cref="EventHandlerContext{TEvent}.Self"/> is typed).</summary>
    public abstract ProcessRef Manager { get; }

    /// <summary>Whether the handler asked, in the member running now, to be removed.</summary>
    internal bool RemovalAsked { get; private set; }

    /// <summary>
    /// From <c>HandleAsync</c> or <c>HandleCallAsync</c>: removes this handler from its manager once that returns
    /// (Erlang's <c>remove_handler</c>); its <c>OnRemoved</c> runs with <see cref="EventHandlerRemovalReason.Removed"/>.
    /// The current event or call completes normally. Ignored elsewhere.
    /// </summary>
    public void RemoveHandler() => RemovalAsked = true;

    /// <summary>Reads and clears the removal request.</summary>
    internal bool TakeRemovalAsked()
    {
        var asked = RemovalAsked;
        RemovalAsked = false;
        return asked;
    }
}

/// <summary>What an event handler of events <typeparamref name="TEvent"/> may use: its manager's reference, services and a logger.</summary>
/// <typeparam name="TEvent">The events the manager distributes.</typeparam>
public sealed class EventHandlerContext<TEvent> : EventHandlerContext
{
    internal EventHandlerContext(string handlerId, ProcessRef<EventManager<TEvent>> self, IServiceProvider services, ILogger logger)
        : base(handlerId, services, logger) => Self = self;

    /// <summary>The reference to the manager holding the handler (to notify it, or anything else a reference does).</summary>
    public ProcessRef<EventManager<TEvent>> Self { get; }

    /// <inheritdoc />
    public override ProcessRef Manager => Self;
}
