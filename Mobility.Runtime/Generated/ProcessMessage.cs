using System.Buffers;
using System.ComponentModel;
using MemoryPack;

namespace Mobility.Generated;

/// <summary>
/// What one mailbox item asks of a process: a handler and its arguments, nothing else. Generated code derives one
/// sealed message class per handler (from <see cref="CallMessage{TResult}"/> or <see cref="CastMessage"/>); the runtime
/// adds its own system messages (register, move, stop), which use negative handler ids. How a message travels —
/// its origin, its number in its origin's stream, where a call's reply goes — is its envelope's, not its own.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ProcessMessage
{
    /// <summary>The id of the handler this message is for, unique within its process type.</summary>
    public abstract int HandlerId { get; }

    /// <summary>The handler's name, for logs and exception messages.</summary>
    public abstract string HandlerName { get; }

    /// <summary>Encodes the message's arguments (the reader is the type's <c>ReadMessage</c>).</summary>
    public abstract void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Whether the sender waits for a reply.</summary>
    internal abstract bool IsCall { get; }

    /// <summary>The reply of this call to a caller on another node (null for a cast).</summary>
    internal virtual CallReply? ReplyTo(IRemoteReplies replies, string node, long callId) => null;

    /// <summary>What the caller of a call that got no reply in time is told; <paramref name="withdrawn"/>: it never started.</summary>
    internal virtual Exception TimedOut(ProcessRef target, TimeSpan timeout, bool withdrawn) => new TimeoutException(
        $"Call '{HandlerName}' to process {target} got no reply within {timeout.TotalSeconds:0.###} s " +
        (withdrawn ? "and was withdrawn before it started." : "; it is still running and its late reply will be dropped.") +
        " Raise the timeout with ProcessRef<T>.WithCallTimeout or MobilityOptions.CallTimeout if the handler is slow by design.");
}
