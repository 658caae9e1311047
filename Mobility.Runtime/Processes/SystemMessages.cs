using MemoryPack;
using Mobility.Generated;
using Mobility.Migration;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// A message the runtime sends a process about its own life (register, move, stop, snapshot). The process
/// performs it in its own loop, in mailbox order, and replies like a call: system messages cross nodes
/// the same way, with negative handler ids.
/// </summary>
internal abstract class SystemMessage<TResult> : CallMessage<TResult>
{
    /// <summary>How long its sender waits: the call timeout, unless the message says otherwise.</summary>
    internal virtual TimeSpan TimeoutFor(TimeSpan callTimeout, TimeSpan migrationTimeout) => callTimeout;

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) =>
        throw new NotSupportedException($"System message '{HandlerName}' is performed where it is sent; it is never encoded.");
}

internal sealed class RegisterNameRequest(string name) : SystemMessage<NoResult>
{
    public const int Id = -1;

    public string Name { get; } = name;

    public override int HandlerId => Id;

    public override string HandlerName => "Register";

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) => writer.WriteValue(Name);
}

internal sealed class MoveRequest(Destination destination) : SystemMessage<NoResult>
{
    public const int Id = -2;

    public Destination Destination { get; } = destination;

    public override int HandlerId => Id;

    public override string HandlerName => "SendMe";

    /// <summary>
    /// The call timeout for the process to reach the request, plus a move's own steps: reaching the destination
    /// (dialling it, for a TCP one), the offer and the commit, each bounded by <see cref="MobilityOptions.MigrationTimeout"/>.
    /// </summary>
    internal override TimeSpan TimeoutFor(TimeSpan callTimeout, TimeSpan migrationTimeout) =>
        callTimeout == Timeout.InfiniteTimeSpan ? callTimeout : callTimeout + (3 * migrationTimeout);

    /// <summary>
    /// Withdrawn before the process took it: nothing moved (a rolled-back move, in effect). Taken: the move is under way
    /// and its outcome unknown to this caller.
    /// </summary>
    internal override Exception TimedOut(ProcessRef target, TimeSpan timeout, bool withdrawn) => withdrawn
        ? new MigrationFailedException(
            MigrationFailureReason.Timeout,
            $"Process {target} did not take the request to move to {Destination} within {timeout.TotalSeconds:0.###} s: it was withdrawn, and the process did not move.")
        : new MigrationOutcomeUnknownException(
            $"The move of process {target} to {Destination} did not finish within {timeout.TotalSeconds:0.###} s: it may still commit there or roll back. " +
            "The process runs in one place or the other, never both; a call finds it.");

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
        switch (Destination)
        {
            case NodeDestination node:
                writer.WriteValue((byte)0);
                writer.WriteValue(node.Name);
                break;
            case TcpDestination tcp:
                writer.WriteValue((byte)1);
                writer.WriteValue(tcp.Host);
                writer.WriteValue(tcp.Port);
                break;
        }
    }

    public static MoveRequest Read(ref MemoryPackReader reader) => reader.ReadValue<byte>() switch
    {
        0 => new MoveRequest(Destination.Node(reader.ReadValue<string>() ?? string.Empty)),
        1 => new MoveRequest(Destination.Tcp(reader.ReadValue<string>() ?? string.Empty, reader.ReadValue<int>())),
        var kind => throw new MemoryPackSerializationException($"Unknown destination kind {kind}."),
    };
}

/// <param name="untilStopped">
/// Waits for the process to take it however long that is (the node's own stop: bounded by its caller's token, as
/// <see cref="MobilityNode.StopAsync"/> documents), not the call timeout.
/// </param>
internal sealed class StopRequest(bool untilStopped = false) : SystemMessage<NoResult>
{
    public const int Id = -3;

    public override int HandlerId => Id;

    public override string HandlerName => "Stop";

    internal override TimeSpan TimeoutFor(TimeSpan callTimeout, TimeSpan migrationTimeout) =>
        untilStopped ? Timeout.InfiniteTimeSpan : callTimeout;

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
    {
    }
}

internal sealed class SnapshotRequest : SystemMessage<ProcessSnapshot>
{
    public override int HandlerId => -4;

    public override string HandlerName => "Snapshot";
}

/// <summary>
/// Sends system messages and awaits their completion, through the one request/reply path calls take (a reply, the
/// timeout or the caller's cancellation, whichever comes first); decodes those that arrive from other nodes.
/// </summary>
internal static class SystemCalls
{
    /// <exception cref="TimeoutException">No reply within the message's timeout (<see cref="SystemMessage{TResult}.TimeoutFor"/>).</exception>
    /// <exception cref="ProcessStoppedException">The process is not running.</exception>
    public static Task<TResult> SendAsync<TResult>(ProcessRef target, SystemMessage<TResult> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        TimeSpan timeout;
        try
        {
            var router = target.Router;
            timeout = message.TimeoutFor(target.CallTimeout ?? router.DefaultCallTimeout, router.MigrationTimeout);
        }
        catch (InvalidOperationException exception)
        {
            return Task.FromException<TResult>(exception);
        }

        return MessageSender.CallAsync(target, message, timeout, cancellationToken).AsTask();
    }

    public static Task SendAsync(ProcessRef target, SystemMessage<NoResult> message, CancellationToken cancellationToken) =>
        SendAsync<NoResult>(target, message, cancellationToken);

    /// <exception cref="MemoryPackSerializationException">Not a system message that crosses nodes.</exception>
    public static ProcessMessage Read(int handlerId, ref MemoryPackReader reader) => handlerId switch
    {
        RegisterNameRequest.Id => new RegisterNameRequest(reader.ReadValue<string>() is { Length: > 0 } name
            ? name
            : throw new MemoryPackSerializationException("A Register request carries no name.")),
        MoveRequest.Id => MoveRequest.Read(ref reader),
        StopRequest.Id => new StopRequest(),
        _ when MonitoringCodec.TryRead(handlerId, ref reader) is { } monitoring => monitoring,
        _ => throw new MemoryPackSerializationException($"Handler id {handlerId} is not a system message that crosses nodes."),
    };
}
