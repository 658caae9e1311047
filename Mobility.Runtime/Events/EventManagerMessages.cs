using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility.Events;

/// <summary>The stable handler ids of <see cref="EventManager{TEvent}"/>'s messages (positive, like generated ones).</summary>
internal static class EventManagerHandlers
{
    public const int AddHandler = 1;
    public const int RemoveHandler = 2;
    public const int SwapHandler = 3;
    public const int Notify = 4;
    public const int SyncNotify = 5;
    public const int CallHandler = 6;
    public const int WhichHandlers = 7;
}

/// <summary>Adds a handler under an id.</summary>
internal sealed class AddEventHandlerMessage(string id, HandlerPayload handler) : CallMessage<NoResult>
{
    public string Id { get; } = id;

    public HandlerPayload Handler { get; } = handler;

    public override int HandlerId => EventManagerHandlers.AddHandler;

    public override string HandlerName => "AddHandler";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteString(Id);
        Handler.Write(ref writer);
    }

    public static AddEventHandlerMessage Read(ref MemoryPackReader reader) =>
        new(EventWire.RequiredString(ref reader, "handler id"), HandlerPayload.Read(ref reader));
}

/// <summary>Removes the handler with an id; replies whether there was one.</summary>
internal sealed class RemoveEventHandlerMessage(string id) : CallMessage<bool>
{
    public string Id { get; } = id;

    public override int HandlerId => EventManagerHandlers.RemoveHandler;

    public override string HandlerName => "RemoveHandler";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteString(Id);

    public static RemoveEventHandlerMessage Read(ref MemoryPackReader reader) => new(EventWire.RequiredString(ref reader, "handler id"));
}

/// <summary>Replaces one handler by another, between two events.</summary>
internal sealed class SwapEventHandlerMessage(string oldId, string newId, HandlerPayload handler) : CallMessage<NoResult>
{
    public string OldId { get; } = oldId;

    public string NewId { get; } = newId;

    public HandlerPayload Handler { get; } = handler;

    public override int HandlerId => EventManagerHandlers.SwapHandler;

    public override string HandlerName => "SwapHandler";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteString(OldId);
        writer.WriteString(NewId);
        Handler.Write(ref writer);
    }

    public static SwapEventHandlerMessage Read(ref MemoryPackReader reader) =>
        new(EventWire.RequiredString(ref reader, "old handler id"), EventWire.RequiredString(ref reader, "new handler id"), HandlerPayload.Read(ref reader));
}

/// <summary>An event for every handler; nobody waits.</summary>
internal sealed class NotifyMessage<TEvent>(TEvent e) : CastMessage
{
    public TEvent Event { get; } = e;

    public override int HandlerId => EventManagerHandlers.Notify;

    public override string HandlerName => "Notify";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(Event);

    public static NotifyMessage<TEvent> Read(ref MemoryPackReader reader) => new(reader.ReadValue<TEvent>()!);
}

/// <summary>An event for every handler; the reply comes once all have handled it.</summary>
internal sealed class SyncNotifyMessage<TEvent>(TEvent e) : CallMessage<SyncNotifyResult>
{
    public TEvent Event { get; } = e;

    public override int HandlerId => EventManagerHandlers.SyncNotify;

    public override string HandlerName => "SyncNotify";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(Event);

    public static SyncNotifyMessage<TEvent> Read(ref MemoryPackReader reader) => new(reader.ReadValue<TEvent>()!);
}

/// <summary>Asks for the ids of the handlers, in the order they get events.</summary>
internal sealed class WhichEventHandlersMessage : CallMessage<string[]>
{
    public override int HandlerId => EventManagerHandlers.WhichHandlers;

    public override string HandlerName => "WhichHandlers";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
    }
}

/// <summary>A call to one handler, as the manager sees it whether it came by reference or encoded.</summary>
internal interface IEventHandlerCallMessage
{
    string TargetId { get; }

    /// <summary>Checks the handler answers this call (and decodes the request if it came encoded).</summary>
    /// <exception cref="InvalidOperationException">The handler answers other calls, or none.</exception>
    /// <exception cref="InvalidDataException">The request could not be decoded.</exception>
    void Bind(object handler, MemoryPackSerializerOptions options);

    /// <summary>Runs the handler's call and sets <paramref name="reply"/>. What this throws, the handler threw.</summary>
    ValueTask InvokeAsync(object handler, EventHandlerContext context, MemoryPackSerializerOptions options, CallReply? reply);
}

/// <summary>A call to one handler from the caller's side: typed, passed by reference on one node.</summary>
internal sealed class EventHandlerCallMessage<TRequest, TReply>(string id, TRequest request) : CallMessage<TReply>, IEventHandlerCallMessage
{
    public string TargetId { get; } = id;

    public override int HandlerId => EventManagerHandlers.CallHandler;

    public override string HandlerName => "CallHandler";

    public void Bind(object handler, MemoryPackSerializerOptions options)
    {
        if (handler is not IEventHandlerCalls<TRequest, TReply>)
        {
            throw EventHandlerCallTypes.Mismatch(handler.GetType(), TargetId, EventHandlerCallTypes.NameOf<TRequest>(), EventHandlerCallTypes.NameOf<TReply>());
        }
    }

    public async ValueTask InvokeAsync(object handler, EventHandlerContext context, MemoryPackSerializerOptions options, CallReply? reply)
    {
        var result = await ((IEventHandlerCalls<TRequest, TReply>)handler).HandleCallAsync(request, context).ConfigureAwait(false);
        CallReply<TReply>.Of(reply).SetResult(result);
    }

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteString(TargetId);
        writer.WriteString(EventHandlerCallTypes.NameOf<TRequest>());
        writer.WriteString(EventHandlerCallTypes.NameOf<TReply>());
        writer.WriteValue(WireCodec.Encode(request, writer.Options));
    }
}

/// <summary>
/// A call to one handler that crossed nodes: the request stays encoded until the handler's own call contract
/// decodes it, and the reply goes back as the handler encoded it.
/// </summary>
internal sealed class EncodedEventHandlerCallMessage(string id, string requestType, string replyType, byte[] request) : CallMessage<EncodedReply>, IEventHandlerCallMessage
{
    private object? _request;

    public string TargetId { get; } = id;

    public override int HandlerId => EventManagerHandlers.CallHandler;

    public override string HandlerName => "CallHandler";

    public void Bind(object handler, MemoryPackSerializerOptions options)
    {
        if (handler is not IEventHandlerCallTarget target)
        {
            throw EventHandlerCallTypes.Mismatch(handler.GetType(), TargetId, requestType, replyType);
        }

        _request = target.DecodeRequest(requestType, replyType, request, options);
    }

    public async ValueTask InvokeAsync(object handler, EventHandlerContext context, MemoryPackSerializerOptions options, CallReply? reply)
    {
        var target = (IEventHandlerCallTarget)handler;
        var result = await target.HandleDecodedAsync(_request, context).ConfigureAwait(false);
        CallReply<EncodedReply>.Of(reply).SetResult(new EncodedReply(target.EncodeReply(result, options)));
    }

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteString(TargetId);
        writer.WriteString(requestType);
        writer.WriteString(replyType);
        writer.WriteValue(request);
    }

    public static EncodedEventHandlerCallMessage Read(ref MemoryPackReader reader) => new(
        EventWire.RequiredString(ref reader, "handler id"),
        EventWire.RequiredString(ref reader, "request type"),
        EventWire.RequiredString(ref reader, "reply type"),
        reader.ReadValue<byte[]>() ?? throw new InvalidDataException("A call to an event handler arrived without its request."));
}
