using System.ComponentModel;
using MemoryPack;
using Mobility.Events;
using Mobility.Processes;

namespace Mobility;

/// <summary>
/// Lets an event handler answer calls addressed to it alone (Erlang's <c>gen_event:call</c>), sent with
/// <c>CallHandlerAsync&lt;TRequest, TReply&gt;(id, request)</c>. One call contract per handler class: use a
/// <c>[MemoryPackable]</c> union as <typeparamref name="TRequest"/> for several kinds of request.
/// </summary>
/// <typeparam name="TRequest">The request (MemoryPack-encodable: it crosses nodes).</typeparam>
/// <typeparam name="TReply">The reply (MemoryPack-encodable).</typeparam>
public interface IEventHandlerCalls<TRequest, TReply> : IEventHandlerCallTarget
{
    /// <summary>Answers one call. An exception fails the call with it and removes the handler from its manager.</summary>
    ValueTask<TReply> HandleCallAsync(TRequest request, EventHandlerContext context);

    /// <inheritdoc />
    object? IEventHandlerCallTarget.DecodeRequest(string requestType, string replyType, ReadOnlySpan<byte> request, MemoryPackSerializerOptions options)
    {
        EventHandlerCallTypes.Check<TRequest, TReply>(requestType, replyType, GetType());
        return EventHandlerCallTypes.Decode<TRequest>(request, options);
    }

    /// <inheritdoc />
    async ValueTask<object?> IEventHandlerCallTarget.HandleDecodedAsync(object? request, EventHandlerContext context) =>
        await HandleCallAsync((TRequest)request!, context).ConfigureAwait(false);

    /// <inheritdoc />
    byte[] IEventHandlerCallTarget.EncodeReply(object? reply, MemoryPackSerializerOptions options) =>
        WireCodec.Encode((TReply)reply!, options);
}

/// <summary>
/// The untyped side of <see cref="IEventHandlerCalls{TRequest, TReply}"/>, through which a manager answers a call
/// that arrived encoded from another node. Implemented by that interface; not meant to be implemented by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IEventHandlerCallTarget
{
    /// <summary>Decodes an encoded request, after checking the caller's request and reply types are this handler's.</summary>
    /// <exception cref="InvalidOperationException">The handler answers calls of other types.</exception>
    /// <exception cref="InvalidDataException">The request could not be decoded.</exception>
    object? DecodeRequest(string requestType, string replyType, ReadOnlySpan<byte> request, MemoryPackSerializerOptions options);

    /// <summary>Answers a request <see cref="DecodeRequest"/> returned.</summary>
    ValueTask<object?> HandleDecodedAsync(object? request, EventHandlerContext context);

    /// <summary>Encodes a reply <see cref="HandleDecodedAsync"/> returned.</summary>
    byte[] EncodeReply(object? reply, MemoryPackSerializerOptions options);
}
