using MemoryPack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Diagnostics;
using Mobility.Events;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// An event manager process (Erlang's gen_event): it holds any number of handlers
/// (<see cref="IEventHandler{TEvent}"/>) and gives each of them every event it is notified of, in order, one at a
/// time. Handlers are its state: they move with it. Spawn it with <c>node.SpawnAsync&lt;EventManager&lt;TEvent&gt;&gt;()</c>
/// after <c>services.AddEventManager&lt;TEvent&gt;()</c>, and drive it through the extension methods of
/// <see cref="EventManagerExtensions"/> on its <see cref="ProcessRef{T}"/>.
/// </summary>
/// <typeparam name="TEvent">The events it distributes (MemoryPack-encodable: they cross nodes).</typeparam>
public sealed partial class EventManager<TEvent>
{
    private readonly List<HandlerEntry> _handlers = [];
    private readonly IServiceProvider _services;
    private readonly EventHandlerTypes _types;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;

    /// <summary>Creates an event manager with the node's services. Called by the node, through dependency injection.</summary>
    public EventManager(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _types = services.GetService<EventHandlerTypes>() ?? EventHandlerTypes.None;
        _loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("Mobility.EventManager");
    }

    private ProcessRef<EventManager<TEvent>> Self => _self ?? throw Generated.ProcessContext.NotAttached(TypeIdText);

    private void Add(string id, IEventHandler<TEvent> handler, EventHandlerType type)
    {
        if (Find(id) is not null)
        {
            throw Duplicate(id);
        }

        var entry = new HandlerEntry(id, handler, type);
        var context = ContextOf(entry);
        handler.OnAdded(context, replaced: null);
        context.TakeRemovalAsked(); // only HandleAsync and calls may ask
        _handlers.Add(entry);
        EventLog.HandlerAdded(_logger, Self, id, type.TypeId);
    }

    private bool Remove(string id)
    {
        if (Find(id) is not { } entry)
        {
            return false;
        }

        _handlers.Remove(entry);
        Leave(entry, new EventHandlerRemoval(EventHandlerRemovalReason.Removed));
        return true;
    }

    private void Swap(string oldId, string newId, IEventHandler<TEvent> handler, EventHandlerType type)
    {
        var old = Find(oldId) ?? throw Unknown(oldId);
        if (newId != oldId && Find(newId) is not null)
        {
            throw Duplicate(newId);
        }

        var index = _handlers.IndexOf(old);
        _handlers.RemoveAt(index);
        Leave(old, new EventHandlerRemoval(EventHandlerRemovalReason.Swapped));
        var entry = new HandlerEntry(newId, handler, type);
        var context = ContextOf(entry);
        handler.OnAdded(context, old.Handler);
        context.TakeRemovalAsked();
        _handlers.Insert(index, entry);
        EventLog.HandlerAdded(_logger, Self, newId, type.TypeId);
    }

    /// <summary>Gives the event to every handler in turn; those that throw are removed and the rest still get it.</summary>
    private async ValueTask<SyncNotifyResult?> NotifyAsync(TEvent e, CancellationToken cancellationToken, bool report)
    {
        var handledBy = report ? new List<string>(_handlers.Count) : null;
        List<RemovedEventHandler>? removed = null;
        for (var i = 0; i < _handlers.Count;)
        {
            var entry = _handlers[i];
            var context = ContextOf(entry);
            context.CancellationToken = cancellationToken;
            try
            {
                await entry.Handler.HandleAsync(e, context).ConfigureAwait(false);
                handledBy?.Add(entry.Id);
                if (!RemoveIfAsked(entry, context))
                {
                    i++;
                }
            }
            catch (Exception exception)
            {
                context.TakeRemovalAsked();
                Fail(entry, exception);
                (removed ??= []).Add(new RemovedEventHandler(entry.Id, exception.GetType().FullName ?? exception.GetType().Name, exception.Message));
            }
            finally
            {
                context.CancellationToken = default;
            }
        }

        return handledBy is null ? null : new SyncNotifyResult([.. handledBy], removed is null ? [] : [.. removed]);
    }

    private async ValueTask CallAsync(IEventHandlerCallMessage call, CallReply? reply)
    {
        var entry = Find(call.TargetId) ?? throw Unknown(call.TargetId);
        call.Bind(entry.Handler, _options);
        var context = ContextOf(entry);
        context.CancellationToken = reply?.CancellationToken ?? default;
        try
        {
            await call.InvokeAsync(entry.Handler, context, _options, reply).ConfigureAwait(false);
            RemoveIfAsked(entry, context);
        }
        catch (Exception exception)
        {
            context.TakeRemovalAsked();
            Fail(entry, exception);
            throw;
        }
        finally
        {
            context.CancellationToken = default;
        }
    }

    private string[] WhichHandlers() => [.. _handlers.Select(entry => entry.Id)];

    /// <summary>Turns the handler of an add or swap into an instance, refusing any class not registered with this node.</summary>
    private (IEventHandler<TEvent> Handler, EventHandlerType Type) Materialize(HandlerPayload payload, string id)
    {
        var type = _types.Find(payload.TypeId) is { } known && (payload.Instance is null || payload.Instance.GetType() == known.ClrType)
            ? known
            : throw new InvalidOperationException(
                $"Event handler '{id}' is of type '{payload.TypeId}', which is not registered with the node of event manager {Self}: " +
                $"call services.AddEventHandler<{payload.TypeId}>() on every node that may hold it. Only registered handler types are ever instantiated.");
        var instance = payload.Instance ?? type.Decode(payload.Bytes!, _options);
        return instance is IEventHandler<TEvent> handler
            ? (handler, type)
            : throw new InvalidOperationException($"Event handler type '{payload.TypeId}' does not handle events of type '{StableTypeName.Of(typeof(TEvent))}'.");
    }

    /// <summary>Removes a handler that asked for it with <see cref="EventHandlerContext.RemoveHandler"/>.</summary>
    private bool RemoveIfAsked(HandlerEntry entry, EventHandlerContext context)
    {
        if (!context.TakeRemovalAsked())
        {
            return false;
        }

        _handlers.Remove(entry);
        Leave(entry, new EventHandlerRemoval(EventHandlerRemovalReason.Removed));
        return true;
    }

    /// <summary>Removes a handler that threw: logged, counted, told through its <c>OnRemoved</c>.</summary>
    private void Fail(HandlerEntry entry, Exception exception)
    {
        _handlers.Remove(entry);
        EventLog.HandlerFailed(_logger, Self, entry.Id, exception);
        MobilityMetrics.EventHandlersRemoved.Add(1, new KeyValuePair<string, object?>("mobility.event_handler.type", entry.Type.TypeId));
        Leave(entry, new EventHandlerRemoval(EventHandlerRemovalReason.Failed, exception));
    }

    private void Leave(HandlerEntry entry, EventHandlerRemoval removal)
    {
        try
        {
            entry.Handler.OnRemoved(removal, ContextOf(entry));
        }
        catch (Exception exception)
        {
            EventLog.RemovedHookFailed(_logger, Self, entry.Id, exception);
        }

        EventLog.HandlerRemoved(_logger, Self, entry.Id, removal.Reason);
    }

    private HandlerEntry? Find(string id)
    {
        foreach (var entry in _handlers)
        {
            if (entry.Id == id)
            {
                return entry;
            }
        }

        return null;
    }

    private EventHandlerContext<TEvent> ContextOf(HandlerEntry entry) =>
        entry.Context ??= new EventHandlerContext<TEvent>(entry.Id, Self, _services, _loggers.CreateLogger(entry.Type.ClrType.FullName ?? entry.Type.TypeId));

    private InvalidOperationException Duplicate(string id) =>
        new($"Event manager {Self} already has a handler '{id}': remove it first, or add the new one under another id.");

    private KeyNotFoundException Unknown(string id) =>
        new($"Event manager {Self} has no handler '{id}' ({(_handlers.Count == 0 ? "it has none" : "it has: " + string.Join(", ", WhichHandlers().Select(known => $"'{known}'")))}).");

    /// <summary>A handler with its id, its registered type and, once used, its context.</summary>
    private sealed class HandlerEntry(string id, IEventHandler<TEvent> handler, EventHandlerType type)
    {
        public string Id { get; } = id;

        public IEventHandler<TEvent> Handler { get; } = handler;

        public EventHandlerType Type { get; } = type;

        public EventHandlerContext<TEvent>? Context { get; set; }
    }
}
