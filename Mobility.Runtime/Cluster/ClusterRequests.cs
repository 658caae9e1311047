using System.Collections.Concurrent;

namespace Mobility.Cluster;

/// <summary>
/// Requests that expect one <see cref="AnswerMessage"/>: numbers them, sends them, and completes each
/// with its answer, a timeout, or the loss of the node asked.
/// </summary>
internal sealed class ClusterRequests(ClusterMembership membership)
{
    private readonly ConcurrentDictionary<long, (string Node, TaskCompletionSource<AnswerMessage> Answer)> _pending = new();
    private long _lastId;

    /// <summary>Registers the answer to every request: inline, open to links (a move to another cluster asks across one).</summary>
    public void Register(ClusterDispatcher dispatcher) =>
        dispatcher.Inline<AnswerMessage>((_, answer) => Complete(answer), ClusterDispatcher.Senders.MembersAndLinks);

    /// <summary>Sends the request <paramref name="build"/> makes with a fresh id and awaits its answer.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="IOException">The node is not connected, or its connection failed before it answered.</exception>
    public Task<AnswerMessage> AskAsync(string node, Func<long, IClusterRequest> build, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        AskAsync(node, id => membership.SendAsync(node, build(id), cancellationToken), timeout, cancellationToken);

    /// <summary>Like <see cref="AskAsync(string, Func{long, IClusterRequest}, TimeSpan, CancellationToken)"/>, for a request whose frame carries a trailer.</summary>
    public Task<AnswerMessage> AskAsync<TRequest>(string node, Func<long, TRequest> build, Action<System.Buffers.IBufferWriter<byte>> trailer, TimeSpan timeout, CancellationToken cancellationToken = default)
        where TRequest : IClusterRequest, ITrailedMessage =>
        AskAsync(node, id => membership.SendAsync(node, build(id), trailer, static (write, writer) => write(writer), cancellationToken), timeout, cancellationToken);

    /// <summary>
    /// Sends the request <paramref name="build"/> makes with a fresh id and returns once it is queued on the node's
    /// connection (frames to one node leave in the order they were queued): the task returned completes with the
    /// answer, or fails as <see cref="AskAsync(string, Func{long, IClusterRequest}, TimeSpan, CancellationToken)"/> would.
    /// </summary>
    /// <exception cref="IOException">The node is not connected.</exception>
    public ValueTask<Task<AnswerMessage>> SendAsync(string node, Func<long, IClusterRequest> build, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        StartAsync(node, id => membership.SendAsync(node, build(id), cancellationToken), timeout, cancellationToken);

    private async Task<AnswerMessage> AskAsync(string node, Func<long, ValueTask> send, TimeSpan timeout, CancellationToken cancellationToken) =>
        await (await StartAsync(node, send, timeout, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Registers a request under a fresh id and sends it; returns, once it is queued, the task of its answer.</summary>
    private async ValueTask<Task<AnswerMessage>> StartAsync(string node, Func<long, ValueTask> send, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<AnswerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (node, answer);
        try
        {
            await send(id).ConfigureAwait(false);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }

        return AwaitAnswerAsync(node, id, answer, timeout, cancellationToken);
    }

    private async Task<AnswerMessage> AwaitAnswerAsync(string node, long id, TaskCompletionSource<AnswerMessage> answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Node '{node}' did not answer within {timeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Completes the request the answer is for (an unknown or late answer is ignored).</summary>
    public void Complete(AnswerMessage answer)
    {
        if (_pending.TryRemove(answer.RequestId, out var pending))
        {
            pending.Answer.TrySetResult(answer);
        }
    }

    /// <summary>Fails every request still waiting on <paramref name="node"/>, which went down.</summary>
    public void FailAll(string node, string reason)
    {
        foreach (var (id, pending) in _pending)
        {
            if (pending.Node == node && _pending.TryRemove(id, out _))
            {
                pending.Answer.TrySetException(new IOException($"Node '{node}' went down before it answered: {reason}"));
            }
        }
    }
}
