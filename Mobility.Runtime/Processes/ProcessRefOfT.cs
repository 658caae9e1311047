using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility;

/// <summary>
/// A typed reference to a mobile process of type <typeparamref name="T"/>. The generator adds the
/// typed call and cast methods (<c>IncrementAsync(...)</c>, <c>Reset()</c>) as extension methods.
/// </summary>
/// <typeparam name="T">The <see cref="MobileProcessAttribute">[MobileProcess]</see> class.</typeparam>
public sealed class ProcessRef<T> : ProcessRef, IMemoryPackable<ProcessRef<T>>
    where T : class, IMobileProcess<T>
{
    internal ProcessRef(ProcessId id, string nodeHint, IProcessRouter? router, TimeSpan? callTimeout = null)
        : base(id, nodeHint, router, callTimeout)
    {
    }

    /// <inheritdoc />
    public override string TypeId => T.TypeId;

    /// <summary>
    /// A reference to the same process whose calls wait <paramref name="timeout"/> for their reply
    /// instead of the node's default (<see cref="MobilityOptions.CallTimeout"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive (use <see cref="Timeout.InfiniteTimeSpan"/> to wait forever).</exception>
    public ProcessRef<T> WithCallTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "A call timeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        return new ProcessRef<T>(Id, NodeHint, Router, timeout);
    }

    static void IMemoryPackFormatterRegister.RegisterFormatter()
    {
        if (!MemoryPackFormatterProvider.IsRegistered<ProcessRef<T>>())
        {
            MemoryPackFormatterProvider.Register(new ProcessRefFormatter<T>());
        }
    }

    static void IMemoryPackable<ProcessRef<T>>.Serialize<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, scoped ref ProcessRef<T>? value) =>
        ProcessRefFormatter<T>.Write(ref writer, value);

    static void IMemoryPackable<ProcessRef<T>>.Deserialize(ref MemoryPackReader reader, scoped ref ProcessRef<T>? value) =>
        value = ProcessRefFormatter<T>.Read(ref reader);
}
