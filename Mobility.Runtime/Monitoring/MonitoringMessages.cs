using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility.Monitoring;

/// <summary>
/// A one-way message the runtime sends a process about monitors and links. Like the other system messages it
/// uses a negative handler id, is routed to the process wherever it lives, and is handled in its own loop, in
/// mailbox order. Monitoring ids count down from -101 (the other system messages keep the ids above).
/// </summary>
internal abstract class MonitoringSignal : CastMessage
{
}

/// <summary>A watcher (a process, or a node itself) asks the process to tell it when it goes down; answered with its location.</summary>
internal sealed class MonitorRequest(MonitorRef monitor, Guid watcherProcess, string watcherType, string watcherNode) : SystemMessage<ProcessLocation>
{
    public const int Id = -101;

    public WatcherEntry Watcher { get; } = new(monitor.Value, watcherProcess, watcherType, watcherNode);

    public override int HandlerId => Id;

    /// <summary>
    /// A registration waits for its target to take it, however busy the target is: given up on a timeout, the monitor
    /// would never hear of the target's end. Its node going down, or the target stopping, ends the wait.
    /// </summary>
    internal override TimeSpan TimeoutFor(TimeSpan callTimeout, TimeSpan migrationTimeout) => Timeout.InfiniteTimeSpan;

    public override string HandlerName => "Monitor";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(Watcher);

    public static MonitorRequest Read(ref MemoryPackReader reader)
    {
        var watcher = reader.ReadValue<WatcherEntry>() ?? throw new MemoryPackSerializationException("A Monitor request carries no watcher.");
        return new MonitorRequest(new MonitorRef(watcher.Monitor), watcher.Process, watcher.TypeId, watcher.Node);
    }
}

/// <summary>The watcher gave the monitor up: the process forgets it.</summary>
internal sealed class DemonitorRequest(MonitorRef monitor) : MonitoringSignal
{
    public const int Id = -102;

    public MonitorRef Monitor { get; } = monitor;

    public override int HandlerId => Id;

    public override string HandlerName => "Demonitor";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteUnmanaged(Monitor.Value);

    public static DemonitorRequest Read(ref MemoryPackReader reader) => new(new MonitorRef(reader.ReadUnmanaged<Guid>()));
}

/// <summary>A process links itself to this one (links go both ways); answered with this one's location.</summary>
internal sealed class LinkRequest(LinkEntry from) : SystemMessage<ProcessLocation>
{
    public const int Id = -103;

    public LinkEntry From { get; } = from;

    public override int HandlerId => Id;

    /// <inheritdoc cref="MonitorRequest.TimeoutFor"/>
    internal override TimeSpan TimeoutFor(TimeSpan callTimeout, TimeSpan migrationTimeout) => Timeout.InfiniteTimeSpan;

    public override string HandlerName => "Link";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(From);

    public static LinkRequest Read(ref MemoryPackReader reader) =>
        new(reader.ReadValue<LinkEntry>() ?? throw new MemoryPackSerializationException("A Link request carries no process."));
}

/// <summary>A linked process removes its link.</summary>
internal sealed class UnlinkRequest(Guid from) : MonitoringSignal
{
    public const int Id = -104;

    public Guid From { get; } = from;

    public override int HandlerId => Id;

    public override string HandlerName => "Unlink";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteUnmanaged(From);

    public static UnlinkRequest Read(ref MemoryPackReader reader) => new(reader.ReadUnmanaged<Guid>());
}

/// <summary>A process this one monitors went down (or could not be monitored).</summary>
internal sealed class DownSignal(MonitorRef monitor, Guid target, string typeId, ExitInfo exit) : MonitoringSignal
{
    public const int Id = -105;

    public MonitorRef Monitor { get; } = monitor;

    public Guid Target { get; } = target;

    public string TypeId { get; } = typeId;

    public ExitInfo Exit { get; } = exit;

    public override int HandlerId => Id;

    public override string HandlerName => "Down";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteUnmanaged(Monitor.Value);
        writer.WriteUnmanaged(Target);
        writer.WriteValue(TypeId);
        MonitoringCodec.WriteExit(ref writer, Exit);
    }

    public static DownSignal Read(ref MemoryPackReader reader) => new(
        new MonitorRef(reader.ReadUnmanaged<Guid>()), reader.ReadUnmanaged<Guid>(), MonitoringCodec.ReadText(ref reader), MonitoringCodec.ReadExit(ref reader));
}

/// <summary>A process linked to this one exited.</summary>
internal sealed class ExitMessage(Guid from, string typeId, ExitInfo exit) : MonitoringSignal
{
    public const int Id = -106;

    public Guid From { get; } = from;

    public string TypeId { get; } = typeId;

    public ExitInfo Exit { get; } = exit;

    public override int HandlerId => Id;

    public override string HandlerName => "Exit";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteUnmanaged(From);
        writer.WriteValue(TypeId);
        MonitoringCodec.WriteExit(ref writer, Exit);
    }

    public static ExitMessage Read(ref MemoryPackReader reader) =>
        new(reader.ReadUnmanaged<Guid>(), MonitoringCodec.ReadText(ref reader), MonitoringCodec.ReadExit(ref reader));
}

/// <summary>A process this one monitors or is linked to lives on <see cref="Node"/> now (it moved, or answered a request).</summary>
internal sealed class LocationNotice(Guid process, string node, long generation) : MonitoringSignal
{
    public const int Id = -107;

    public Guid Process { get; } = process;

    public string Node { get; } = node;

    public long Generation { get; } = generation;

    public override int HandlerId => Id;

    public override string HandlerName => "Location";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        writer.WriteUnmanaged(Process);
        writer.WriteValue(Node);
        writer.WriteUnmanaged(Generation);
    }

    public static LocationNotice Read(ref MemoryPackReader reader) =>
        new(reader.ReadUnmanaged<Guid>(), MonitoringCodec.ReadText(ref reader), reader.ReadUnmanaged<long>());
}

/// <summary>A node went down: what this process monitors or is linked to there is gone (no connection).</summary>
internal sealed class NodeDownSignal(string node) : MonitoringSignal
{
    public const int Id = -108;

    public string Node { get; } = node;

    public override int HandlerId => Id;

    public override string HandlerName => "NodeDown";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(Node);

    public static NodeDownSignal Read(ref MemoryPackReader reader) => new(MonitoringCodec.ReadText(ref reader));
}

/// <summary>Shared pieces of the monitoring messages' encoding, and their decoder.</summary>
internal static class MonitoringCodec
{
    public static void WriteExit<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer, ExitInfo exit)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        writer.WriteValue((byte)exit.Reason);
        writer.WriteValue(exit.ErrorType);
        writer.WriteValue(exit.ErrorMessage);
    }

    public static ExitInfo ReadExit(ref MemoryPackReader reader)
    {
        var reason = reader.ReadValue<byte>();
        if (reason > (byte)ExitReason.NoProcess)
        {
            throw new MemoryPackSerializationException($"Unknown exit reason {reason}.");
        }

        return new ExitInfo((ExitReason)reason, reader.ReadValue<string>(), reader.ReadValue<string>());
    }

    public static string ReadText(ref MemoryPackReader reader) =>
        reader.ReadValue<string>() ?? throw new MemoryPackSerializationException("A monitoring message lacks a required text.");

    /// <summary>Decodes a monitoring message, or returns null for a handler id that is not one.</summary>
    public static ProcessMessage? TryRead(int handlerId, ref MemoryPackReader reader) => handlerId switch
    {
        MonitorRequest.Id => MonitorRequest.Read(ref reader),
        DemonitorRequest.Id => DemonitorRequest.Read(ref reader),
        LinkRequest.Id => LinkRequest.Read(ref reader),
        UnlinkRequest.Id => UnlinkRequest.Read(ref reader),
        DownSignal.Id => DownSignal.Read(ref reader),
        ExitMessage.Id => ExitMessage.Read(ref reader),
        LocationNotice.Id => LocationNotice.Read(ref reader),
        NodeDownSignal.Id => NodeDownSignal.Read(ref reader),
        _ => null,
    };
}
