using System.Buffers;
using System.ComponentModel;
using MemoryPack;

namespace Mobility.Generated;

/// <summary>
/// What the runtime needs from a mobile process. Implemented by generated code for every
/// <see cref="MobileProcessAttribute">[MobileProcess]</see> class; not meant to be implemented by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IMobileProcess
{
    /// <summary>Binds the instance to the runtime process that hosts it.</summary>
    void Attach(ProcessContext context);

    /// <summary>
    /// Runs the handler that <paramref name="message"/> addresses, on the process's own loop; a call's result goes to
    /// <paramref name="reply"/> (null: nobody awaits it).
    /// </summary>
    ValueTask DispatchAsync(ProcessMessage message, CallReply? reply);

    /// <summary>Writes every state member (instance fields and auto-properties not marked transient).</summary>
    void WriteState<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Reads the state members back, in the order <see cref="WriteState"/> wrote them.</summary>
    void ReadState(ref MemoryPackReader reader);

    /// <summary>Runs the process's <c>OnStarted</c> hook, once, after spawn.</summary>
    void OnStarted();

    /// <summary>Runs the process's <c>OnStopping</c> hook, once, before the process ends.</summary>
    void OnStopping();

    /// <summary>Runs the process's <c>OnLeaving</c> hook before it is snapshotted for a move.</summary>
    void OnLeaving(MigrationInfo info);

    /// <summary>Runs the process's <c>OnArrived</c> hook after it is restored at its new node.</summary>
    void OnArrived(MigrationInfo info);

    /// <summary>Runs the process's <c>OnDown</c> hook: a process it monitors went down.</summary>
    void OnDown(Down down);

    /// <summary>Runs the process's <c>OnExit</c> hook: a linked process exited (only called when <see cref="TrapsExits"/>).</summary>
    void OnExit(ExitSignal signal);

    /// <summary>
    /// Whether the process declares <c>OnExit</c>: it then gets exit signals of linked processes as calls to it;
    /// otherwise an abnormal exit of a linked process stops it too.
    /// </summary>
    bool TrapsExits { get; }

    /// <summary>
    /// Whether an exception escaping a handler or hook stops the process (<c>[MobileProcess(StopOnUnhandledException = true)]</c>);
    /// generated code overrides this only when it is set.
    /// </summary>
    bool StopsOnUnhandledException => false;
}

/// <summary>
/// The static half of <see cref="IMobileProcess"/>: the stable type id and the message decoder
/// of a process type. Implemented by generated code.
/// </summary>
/// <typeparam name="TSelf">The process class itself.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IMobileProcess<TSelf> : IMobileProcess
    where TSelf : class, IMobileProcess<TSelf>
{
    /// <summary>The stable id of the process type on the wire (its full metadata name).</summary>
    static abstract string TypeId { get; }

    /// <summary>Decodes the arguments of the message addressed to handler <paramref name="handlerId"/>.</summary>
    /// <exception cref="InvalidDataException">The handler id is unknown to this type.</exception>
    static abstract ProcessMessage ReadMessage(int handlerId, ref MemoryPackReader reader);
}
