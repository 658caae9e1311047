using MemoryPack;
using Mobility.Processes;

namespace Mobility.Events;

/// <summary>Checks and decodes the typed halves of a handler call that crossed nodes.</summary>
internal static class EventHandlerCallTypes
{
    public static string NameOf<T>() => StableTypeName.Of(typeof(T));

    public static InvalidOperationException Mismatch(Type handlerType, string handlerId, string requestType, string replyType) => new(
        $"Event handler '{handlerId}' ({StableTypeName.Of(handlerType)}) does not answer calls with request '{requestType}' and reply " +
        $"'{replyType}': implement IEventHandlerCalls<{requestType}, {replyType}> on it, or call it with the types it answers.");

    /// <exception cref="InvalidOperationException">The caller's types are not the handler's.</exception>
    public static void Check<TRequest, TReply>(string requestType, string replyType, Type handlerType)
    {
        if (requestType != NameOf<TRequest>() || replyType != NameOf<TReply>())
        {
            throw new InvalidOperationException(
                $"Event handler type '{StableTypeName.Of(handlerType)}' answers calls with request '{NameOf<TRequest>()}' and reply " +
                $"'{NameOf<TReply>()}', not '{requestType}' and '{replyType}'.");
        }
    }

    /// <exception cref="InvalidDataException">The bytes are not a <typeparamref name="TRequest"/>.</exception>
    public static TRequest Decode<TRequest>(ReadOnlySpan<byte> bytes, MemoryPackSerializerOptions options)
    {
        try
        {
            return WireCodec.Decode<TRequest>(bytes, options)!;
        }
        catch (MemoryPackSerializationException exception)
        {
            throw new InvalidDataException($"A call request of type '{NameOf<TRequest>()}' could not be decoded.", exception);
        }
    }
}
