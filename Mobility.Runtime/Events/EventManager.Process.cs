using MemoryPack;
using Mobility.Events;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility;

/// <summary>
/// <see cref="EventManager{TEvent}"/> as a mobile process: what generated code writes for a <c>[MobileProcess]</c>
/// class, written by hand because the manager is generic and ships with the runtime.
/// </summary>
public sealed partial class EventManager<TEvent> : IMobileProcess<EventManager<TEvent>>
{
    private static readonly string TypeIdText = "Mobility.EventManager<" + StableTypeName.Of(typeof(TEvent)) + ">";

    private ProcessRef<EventManager<TEvent>>? _self;
    private MemoryPackSerializerOptions _options = MemoryPackSerializerOptions.Default;

    static string IMobileProcess<EventManager<TEvent>>.TypeId => TypeIdText;

    void IMobileProcess.Attach(ProcessContext context)
    {
        _self = context.GetSelf<EventManager<TEvent>>();
        _options = RouterServiceProvider.OptionsFor(_self.Router);
    }

    void IMobileProcess.OnStarted()
    {
    }

    void IMobileProcess.OnStopping()
    {
        var leaving = _handlers.ToArray();
        _handlers.Clear();
        foreach (var entry in leaving)
        {
            Leave(entry, new EventHandlerRemoval(EventHandlerRemovalReason.ManagerStopped));
        }
    }

    void IMobileProcess.OnLeaving(MigrationInfo info)
    {
    }

    void IMobileProcess.OnArrived(MigrationInfo info)
    {
    }

    // A manager neither monitors nor links by itself: it has nothing to do with a Down, and a linked process's
    // abnormal exit stops it like any process that does not trap exits.
    void IMobileProcess.OnDown(Down down)
    {
    }

    void IMobileProcess.OnExit(ExitSignal signal)
    {
    }

    bool IMobileProcess.TrapsExits => false;

    // False: a failing event handler is removed (and a call to it fails for its caller), as in gen_event; the manager
    // itself keeps running.
    bool IMobileProcess.StopsOnUnhandledException => false;

    async ValueTask IMobileProcess.DispatchAsync(ProcessMessage message, CallReply? reply)
    {
        switch (message.HandlerId)
        {
            case EventManagerHandlers.AddHandler:
            {
                var m = (AddEventHandlerMessage)message;
                var (handler, type) = Materialize(m.Handler, m.Id);
                Add(m.Id, handler, type);
                CallReply<NoResult>.Of(reply).SetResult(NoResult.Value);
                return;
            }

            case EventManagerHandlers.RemoveHandler:
            {
                var m = (RemoveEventHandlerMessage)message;
                CallReply<bool>.Of(reply).SetResult(Remove(m.Id));
                return;
            }

            case EventManagerHandlers.SwapHandler:
            {
                var m = (SwapEventHandlerMessage)message;
                var (handler, type) = Materialize(m.Handler, m.NewId);
                Swap(m.OldId, m.NewId, handler, type);
                CallReply<NoResult>.Of(reply).SetResult(NoResult.Value);
                return;
            }

            case EventManagerHandlers.Notify:
                await NotifyAsync(((NotifyMessage<TEvent>)message).Event, CancellationToken.None, report: false).ConfigureAwait(false);
                return;

            case EventManagerHandlers.SyncNotify:
            {
                var m = (SyncNotifyMessage<TEvent>)message;
                var result = await NotifyAsync(m.Event, reply?.CancellationToken ?? default, report: true).ConfigureAwait(false);
                CallReply<SyncNotifyResult>.Of(reply).SetResult(result!);
                return;
            }

            case EventManagerHandlers.CallHandler:
            {
                await CallAsync((IEventHandlerCallMessage)message, reply).ConfigureAwait(false);
                return;
            }

            case EventManagerHandlers.WhichHandlers:
                CallReply<string[]>.Of(reply).SetResult(WhichHandlers());
                return;

            default:
                throw MessageSender.UnknownHandler(TypeIdText, message.HandlerId);
        }
    }

    /// <summary>Writes, per handler in order: its id, its registered type id and its MemoryPack bytes.</summary>
    void IMobileProcess.WriteState<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteValue(_handlers.Count);
        foreach (var entry in _handlers)
        {
            writer.WriteString(entry.Id);
            writer.WriteString(entry.Type.TypeId);
            writer.WriteValue(entry.Type.Encode(entry.Handler, writer.Options));
        }
    }

    /// <exception cref="InvalidDataException">A handler's type is not registered here, or its bytes are not one.</exception>
    void IMobileProcess.ReadState(ref MemoryPackReader reader)
    {
        var count = reader.ReadValue<int>();
        if (count < 0 || count > reader.Remaining)
        {
            throw new InvalidDataException($"An event manager's state claims {count} handlers.");
        }

        _handlers.Clear();
        for (var i = 0; i < count; i++)
        {
            var id = EventWire.RequiredString(ref reader, "handler id");
            var typeId = EventWire.RequiredString(ref reader, "handler type");
            var bytes = reader.ReadValue<byte[]>() ?? throw new InvalidDataException($"Event handler '{id}' arrived without its state.");
            var type = _types.Find(typeId) ?? throw new InvalidDataException(
                $"event handler '{id}' is of type '{typeId}', which is not registered on this node (call services.AddEventHandler<{typeId}>() here too)");
            if (type.Decode(bytes, reader.Options) is not IEventHandler<TEvent> handler)
            {
                throw new InvalidDataException($"event handler type '{typeId}' does not handle events of type '{StableTypeName.Of(typeof(TEvent))}'");
            }

            if (Find(id) is not null)
            {
                throw new InvalidDataException($"an event manager's state holds two handlers with id '{id}'");
            }

            _handlers.Add(new HandlerEntry(id, handler, type));
        }
    }

    static ProcessMessage IMobileProcess<EventManager<TEvent>>.ReadMessage(int handlerId, ref MemoryPackReader reader) => handlerId switch
    {
        EventManagerHandlers.AddHandler => AddEventHandlerMessage.Read(ref reader),
        EventManagerHandlers.RemoveHandler => RemoveEventHandlerMessage.Read(ref reader),
        EventManagerHandlers.SwapHandler => SwapEventHandlerMessage.Read(ref reader),
        EventManagerHandlers.Notify => NotifyMessage<TEvent>.Read(ref reader),
        EventManagerHandlers.SyncNotify => SyncNotifyMessage<TEvent>.Read(ref reader),
        EventManagerHandlers.CallHandler => EncodedEventHandlerCallMessage.Read(ref reader),
        EventManagerHandlers.WhichHandlers => new WhichEventHandlersMessage(),
        _ => throw MessageSender.UnknownHandler(TypeIdText, handlerId),
    };
}
