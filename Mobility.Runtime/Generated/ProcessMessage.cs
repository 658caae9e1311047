using System.Buffers;
using System.ComponentModel;
using MemoryPack;

namespace Mobility.Generated;

/// <summary>
/// One item of a process mailbox. Generated code derives one sealed message class per handler
/// (from <see cref="CallMessage{TResult}"/> or <see cref="CastMessage"/>); the runtime adds its own
/// system messages (register, move, stop), which use negative handler ids.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ProcessMessage
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Withdrawn = 2;

    private int _state;

    /// <summary>The id of the handler this message is for, unique within its process type.</summary>
    public abstract int HandlerId { get; }

    /// <summary>The handler's name, for logs and exception messages.</summary>
    public abstract string HandlerName { get; }

    /// <summary>Encodes the message's arguments (the reader is the type's <c>ReadMessage</c>).</summary>
    public abstract void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Whether the sender waits for a reply.</summary>
    internal abstract bool IsCall { get; }

    /// <summary>Called by the loop when it takes the message: false if the sender withdrew it first.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;

    /// <summary>Called by a sender that gave up (timeout, cancellation): true if the handler never ran.</summary>
    internal bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Pending) == Pending;

    /// <summary>Reports a failure to the sender (for casts there is nobody to tell).</summary>
    internal abstract void Fail(Exception exception);
}
