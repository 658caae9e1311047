using System.Buffers;
using MemoryPack;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A message the runtime sends a process about its own life (register, move, stop, snapshot).
/// The process performs it in its own loop, in mailbox order, and completes it.
/// </summary>
internal abstract class SystemMessage<TResult> : ProcessMessage
{
    private readonly TaskCompletionSource<TResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Completion => _done.Task;

    internal override bool IsCall => true;

    public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer) =>
        throw new NotSupportedException($"System message '{HandlerName}' is performed where it is sent; it is never encoded.");

    public void Complete(TResult result) => _done.TrySetResult(result);

    internal override void Fail(Exception exception) => _done.TrySetException(exception);
}

internal sealed class RegisterNameRequest(string name) : SystemMessage<NoResult>
{
    public string Name { get; } = name;

    public override int HandlerId => -1;

    public override string HandlerName => "Register";
}

internal sealed class MoveRequest(Destination destination) : SystemMessage<NoResult>
{
    public Destination Destination { get; } = destination;

    public override int HandlerId => -2;

    public override string HandlerName => "SendMe";
}

internal sealed class StopRequest : SystemMessage<NoResult>
{
    public override int HandlerId => -3;

    public override string HandlerName => "Stop";
}

internal sealed class SnapshotRequest : SystemMessage<ProcessSnapshot>
{
    public override int HandlerId => -4;

    public override string HandlerName => "Snapshot";
}

/// <summary>Sends system messages and awaits their completion.</summary>
internal static class SystemCalls
{
    public static async Task<TResult> SendAsync<TResult>(ProcessRef target, SystemMessage<TResult> message, CancellationToken cancellationToken)
    {
        target.Router.Post(target, message);
        try
        {
            return await message.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !message.Completion.IsCompleted)
        {
            message.TryWithdraw();
            throw;
        }
    }

    public static Task SendAsync(ProcessRef target, SystemMessage<NoResult> message, CancellationToken cancellationToken) =>
        SendAsync<NoResult>(target, message, cancellationToken);
}
