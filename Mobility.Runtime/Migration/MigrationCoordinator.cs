using System.Collections.Concurrent;
using System.Diagnostics;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Processes;
using Mobility.Registry;
using Mobility.Transport;

namespace Mobility.Migration;

/// <summary>
/// Moves processes between the nodes of a cluster (DESIGN §5). Source: the frozen process is offered; the
/// destination restores it through its own DI container and holds it inactive; the source points the
/// directory at the destination and commits; the destination activates and drains its queue in order,
/// and the source forwards. A refusal, an unknown or unreachable node, or a timeout before the commit
/// rolls back: the process resumes at the source with its state.
/// </summary>
internal sealed class MigrationCoordinator
{
    private readonly IMigrationHost _host;
    private readonly MigrationArrivals _arrivals;
    private readonly ClusterMembership? _membership;
    private readonly ClusterRequests? _requests;
    private readonly ClusterDirectory _directory;
    private readonly TimeSpan _timeout;
    private readonly MemoryPackSerializerOptions _serializerOptions;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ProcessId, InactiveCopy> _inactive = new();

    // The last offer of each process this node accepted, and what became of it: a source whose commit got no answer
    // asks for it. One small entry per process that ever arrived (the routes table keeps one per process too).
    private readonly ConcurrentDictionary<ProcessId, (long Epoch, OfferOutcome Outcome)> _outcomes = new();

    public MigrationCoordinator(
        IMigrationHost host,
        ClusterMembership? membership,
        ClusterRequests? requests,
        ClusterDirectory directory,
        TimeSpan timeout,
        MemoryPackSerializerOptions serializerOptions,
        ILogger logger)
    {
        _serializerOptions = serializerOptions;
        _host = host;
        _arrivals = new MigrationArrivals(host);
        _membership = membership;
        _requests = requests;
        _directory = directory;
        _timeout = timeout;
        _logger = logger;
    }

    private string Self => _host.NodeName;

    /// <summary>
    /// Test-only: awaited at each named step of a move at its source, so a test can act between two steps (fail a
    /// node, cut a link, race a message). Null outside tests.
    /// </summary>
    internal Func<MigrationStep, ProcessId, Task>? OnStep { get; set; }

    private Task StepAsync(MigrationStep step, ProcessId process) => OnStep?.Invoke(step, process) ?? Task.CompletedTask;

    /// <summary>
    /// Registers the migration protocol, open to links (moves come from other clusters too). An offer is restored inline
    /// (its state is the frame's memory) and answered without waiting; a commit activates the process, which claims its
    /// names in the directory: handed off.
    /// </summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.InlineTrailed<OfferMessage>(
            (peer, offer, state) => Answer(peer, Receive(peer.External ? FromLink(peer.Name, offer) : offer, state, peer.Address)),
            ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.HandOff<CommitMessage>(async (peer, commit) => Answer(peer, await CommitAsync(commit).ConfigureAwait(false)), ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<AbortMessage>((_, abort) => Abort(abort), ClusterDispatcher.Senders.MembersAndLinks);
        dispatcher.Inline<OutcomeQueryMessage>((peer, query) => Answer(peer, OutcomeOf(query)), ClusterDispatcher.Senders.MembersAndLinks);
    }

    /// <summary>
    /// Node names of another cluster mean nothing here: the replies of the calls queued in an offer that came over a
    /// link go back over it.
    /// </summary>
    private static OfferMessage FromLink(string link, OfferMessage offer) =>
        offer with { Queue = [.. offer.Queue.Select(queued => queued.CallId == 0 ? queued : queued with { ReplyNode = link })] };

    /// <summary>Sends an answer back to the peer that asked, without waiting for it to leave.</summary>
    private void Answer(Peer peer, AnswerMessage answer) => _ = SendQuietlyAsync(peer.Name, answer);

    /// <summary>The source side, run by the process's own loop while it is frozen.</summary>
    /// <exception cref="MigrationFailedException">The move rolled back, with its reason.</exception>
    public async Task MoveAsync(LocalProcess process, Destination destination, MoveCapture capture)
    {
        var address = await ResolveAsync(process, destination).ConfigureAwait(false);
        var target = address.Name;
        var outOfCluster = address.IsLink;
        MobilityMetrics.MigrationsStarted.Add(1);
        var clock = Stopwatch.StartNew();
        var typeId = process.Type.TypeId;
        var epoch = process.Epoch + 1; // this move's: the directory keeps only the newest move's pointer
        var queue = capture.Queue.Concat(capture.Postponed).Select(message => _host.ToWire(process.Id, typeId, message, address)).ToArray();
        var offer = new OfferMessage(
            0,
            process.Id.ToGuid(),
            typeId,
            Self,
            [],
            [.. capture.Names],
            [.. capture.Timers.Select(timer => new TimerInfo(
                timer.Id, timer.Due.UtcTicks, timer.Message.HandlerId, WireCodec.EncodeArguments(timer.Message, _serializerOptions), (byte)timer.Kind, timer.Name))],
            [.. capture.Expected.Select(entry => new ExpectedSequence(entry.Key, entry.Value))],
            queue[..capture.Queue.Count],
            queue[capture.Queue.Count..],
            capture.Monitoring,
            epoch);

        try
        {
            // The state goes straight from the (frozen) process into the offer's frame, after the message.
            var answer = await AskAsync(
                target,
                () => _requests!.AskAsync(target, id => offer with { RequestId = id }, frame => StateCodec.Write(process.Instance, frame, _serializerOptions), _timeout),
                "the offer").ConfigureAwait(false);
            if (!answer.Ok)
            {
                throw Failed(MigrationFailureReason.Refused, $"Node '{target}' refused process {process.Self}: {answer.Reason}");
            }
        }
        catch (MigrationFailedException)
        {
            _host.ForgetWired(queue);
            _ = SendQuietlyAsync(target, new AbortMessage(process.Id.ToGuid()));
            MobilityMetrics.MigrationsRolledBack.Add(1);
            throw;
        }

        await StepAsync(MigrationStep.OfferAccepted, process.Id).ConfigureAwait(false);

        // Out of the cluster, this node stays the process's address here: it forwards across the link. When the
        // destination owns the directory entry, the commit follows the update on the same connection, so the
        // destination records its new location before it activates the process: both answers are awaited together.
        // An owner elsewhere records it before the commit leaves, so the process cannot move on before it is recorded.
        var pointed = await PointDirectoryAsync(process.Id, outOfCluster ? Self : target, epoch).ConfigureAwait(false);
        if (pointed.Owner != target)
        {
            await pointed.Recorded.ConfigureAwait(false);
        }

        await StepAsync(MigrationStep.DirectoryPointed, process.Id).ConfigureAwait(false);
        AnswerMessage? committed = null;
        try
        {
            committed = await AskAsync(target, id => new CommitMessage(id, process.Id.ToGuid(), epoch), "the commit").ConfigureAwait(false);
        }
        catch (MigrationFailedException exception) when (exception.Reason == MigrationFailureReason.Timeout)
        {
            // In doubt: the answer did not come. Ask the destination what became of the offer instead of guessing.
            MigrationLog.CommitUnconfirmed(_logger, process.Self, target, exception.Message);
            committed = await ResolveInDoubtAsync(target, process.Id, epoch).ConfigureAwait(false);
        }
        catch (MigrationFailedException)
        {
            committed = null; // its connection failed before it answered
        }

        if (committed is null)
        {
            // Membership declared the destination down before it told the outcome: the process resumes here. (A
            // destination that was only cut off and had activated it is the fencing the fault-tolerance issue adds.)
            await RollBackAsync().ConfigureAwait(false);
            throw Failed(MigrationFailureReason.Unreachable, $"Node '{target}' went down before process {process.Self} could commit there.");
        }

        if (committed is { Ok: false })
        {
            // The destination no longer held the copy (it expired, or was discarded with the source's connection):
            // it never ran there and never will, and what reached it comes back here. The move did not happen.
            await RollBackAsync().ConfigureAwait(false);
            throw Failed(MigrationFailureReason.Discarded, $"Node '{target}' no longer held process {process.Self} when its commit arrived ({committed.Reason}); it goes on here.");
        }

        await pointed.Recorded.ConfigureAwait(false);
        _arrivals.RouteAway(process, address);
        await StepAsync(MigrationStep.Committed, process.Id).ConfigureAwait(false);
        MobilityMetrics.MigrationsCompleted.Add(1);
        MobilityMetrics.MigrationDuration.Record(clock.Elapsed.TotalMilliseconds);
        MigrationLog.Moved(_logger, process.Self, Self, target, clock.Elapsed.TotalMilliseconds);

        async Task RollBackAsync()
        {
            _host.ForgetWired(queue);
            await pointed.Recorded.ConfigureAwait(false);
            // Back here under a newer epoch still: the pointer at the destination, if it arrives late, cannot win.
            process.AdoptEpoch(epoch + 1);
            await (await PointDirectoryAsync(process.Id, Self, epoch + 1).ConfigureAwait(false)).Recorded.ConfigureAwait(false);
            MobilityMetrics.MigrationsRolledBack.Add(1);
        }
    }

    /// <summary>The destination side of an offer that arrived from <paramref name="via"/>: restore, hold inactive, answer.</summary>
    /// <param name="offer">The offer.</param>
    /// <param name="trailer">The bytes after the offer in its frame (the frame's memory: read before this returns).</param>
    /// <param name="via">The peer it came from.</param>
    public AnswerMessage Receive(OfferMessage offer, System.Buffers.ReadOnlySequence<byte> trailer, PeerAddress via)
    {
        var id = ProcessId.FromGuid(offer.Process);
        try
        {
            var process = _arrivals.ReceiveInactive(offer, trailer);
            var expiry = new CancellationTokenSource(_timeout * 3);
            var received = new InactiveCopy(process, offer, via, expiry);
            _inactive[id] = received;
            _outcomes[id] = (offer.Epoch, OfferOutcome.Waiting);
            expiry.Token.UnsafeRegister(_ => DiscardNeverCommitted(id, received), null);
            return new AnswerMessage(offer.RequestId, true, offer.Process, offer.TypeId, Self, null);
        }
        catch (MigrationRefusedException refusal)
        {
            MigrationLog.Refused(_logger, offer.TypeId, id, offer.SourceNode, refusal.Message);
            return new AnswerMessage(offer.RequestId, false, offer.Process, offer.TypeId, Self, refusal.Message);
        }
    }

    /// <summary>The destination side of a commit: activate the process held inactive.</summary>
    public async Task<AnswerMessage> CommitAsync(CommitMessage commit)
    {
        var id = ProcessId.FromGuid(commit.Process);
        if (_outcomes.TryGetValue(id, out var known) && known == (commit.Epoch, OfferOutcome.Activated))
        {
            return new AnswerMessage(commit.RequestId, true, commit.Process, null, Self, null); // a commit sent again: done already
        }

        if (!_inactive.TryGetValue(id, out var received) || received.Offer.Epoch != commit.Epoch || !_inactive.TryRemove(KeyValuePair.Create(id, received)))
        {
            return new AnswerMessage(commit.RequestId, false, commit.Process, null, Self, "no process of that id is waiting for a commit here");
        }

        received.Expiry.Dispose();
        _outcomes[id] = (commit.Epoch, OfferOutcome.Activated); // decided: a source asking from now on hears "activated"

        await _arrivals.ActivateAsync(received.Process, new MigrationInfo(received.Offer.SourceNode, Destination.Node(Self)), received.Via).ConfigureAwait(false);
        return new AnswerMessage(commit.RequestId, true, commit.Process, received.Offer.TypeId, Self, null);
    }

    /// <summary>The source gave up: drop the inactive copy.</summary>
    public void Abort(AbortMessage abort)
    {
        if (_inactive.TryRemove(ProcessId.FromGuid(abort.Process), out var received))
        {
            received.Expiry.Dispose();
            Discarded(received);
        }
    }

    /// <summary>A node went down: inactive copies offered by it will never be committed.</summary>
    public void ForgetOffersFrom(PeerAddress node)
    {
        foreach (var (id, received) in _inactive)
        {
            if (received.Via == node && _inactive.TryRemove(KeyValuePair.Create(id, received)))
            {
                received.Expiry.Dispose();
                Discarded(received);
            }
        }
    }

    /// <summary>The node (or link to another cluster) a destination names, connected.</summary>
    private async Task<PeerAddress> ResolveAsync(LocalProcess process, Destination destination)
    {
        switch (destination)
        {
            case TcpDestination tcp:
                return await LinkAsync(process, tcp).ConfigureAwait(false);
            case NodeDestination node when node.Name == Self:
                throw Failed(MigrationFailureReason.AlreadyThere, $"Process {process.Self} already lives on node '{Self}'.");
            case NodeDestination node when _membership is null || !_membership.IsMember(node.Name):
                var members = _membership is null ? [] : _membership.Nodes;
                throw Failed(MigrationFailureReason.UnknownNode,
                    $"Cannot move process {process.Self} to node '{node.Name}': it is not connected to node '{Self}' " +
                    (members.Count == 0 ? "(which is connected to no other node)." : $"(connected: {string.Join(", ", members)})."));
            case NodeDestination node:
                return PeerAddress.Member(node.Name);
            default:
                throw new ArgumentOutOfRangeException(nameof(destination), destination, "Unknown kind of destination.");
        }
    }

    private async Task<PeerAddress> LinkAsync(LocalProcess process, TcpDestination tcp)
    {
        if (_membership is null)
        {
            throw Failed(MigrationFailureReason.NotSupported,
                $"Cannot move process {process.Self} to {tcp}: node '{Self}' has no MobilityOptions.MigrationSecret.");
        }

        try
        {
            return await _membership.LinkAsync(tcp.Host, tcp.Port, CancellationToken.None).WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            throw Failed(MigrationFailureReason.NotSupported, $"Cannot move process {process.Self} to {tcp}: {exception.Message}", exception);
        }
        catch (TimeoutException exception)
        {
            throw Failed(MigrationFailureReason.Timeout, $"{tcp} did not complete a connection within {_timeout.TotalSeconds:0.###} s.", exception);
        }
        catch (Transport.HandshakeFailedException exception) when (exception.Failure is Transport.HandshakeFailure.WrongCookie or Transport.HandshakeFailure.Refused)
        {
            throw Failed(MigrationFailureReason.Refused, $"{tcp} refused node '{Self}': {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            throw Failed(MigrationFailureReason.Unreachable, $"{tcp} cannot be reached: {exception.Message}", exception);
        }
    }

    private Task<AnswerMessage> AskAsync(string target, Func<long, IClusterRequest> build, string step) =>
        AskAsync(target, () => _requests!.AskAsync(target, build, _timeout), step);

    private async Task<AnswerMessage> AskAsync(string target, Func<Task<AnswerMessage>> ask, string step)
    {
        try
        {
            return await ask().ConfigureAwait(false);
        }
        catch (TimeoutException exception)
        {
            throw Failed(MigrationFailureReason.Timeout, $"Node '{target}' did not answer {step} within {_timeout.TotalSeconds:0.###} s.", exception);
        }
        catch (IOException exception)
        {
            throw Failed(MigrationFailureReason.Unreachable, $"Node '{target}' could not be reached for {step}: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or MemoryPackSerializationException or NotSupportedException)
        {
            // Nothing was sent: the state could not be encoded, or its frame would exceed MobilityOptions.MaxFrameSize.
            throw Failed(MigrationFailureReason.NotSupported, $"{step} could not be sent to node '{target}': {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Points the directory entry of <paramref name="id"/> at <paramref name="node"/>; returns once the update is on
    /// its way, with the entry's owner and a task (that never fails) for the owner's confirmation.
    /// </summary>
    private async ValueTask<(string? Owner, Task Recorded)> PointDirectoryAsync(ProcessId id, string node, long epoch)
    {
        try
        {
            var (owner, recorded) = await _directory.BeginSetLocationAsync(id, node, epoch).ConfigureAwait(false);
            return (owner, recorded is { IsCompletedSuccessfully: true, Result: true } ? Task.CompletedTask : LogIfNotRecordedAsync(recorded, id, node));
        }
        catch (DirectoryUnavailableException exception)
        {
            MigrationLog.DirectoryNotUpdated(_logger, id, node, exception.Message);
            return (null, Task.CompletedTask);
        }
    }

    private async Task LogIfNotRecordedAsync(Task<bool> recorded, ProcessId id, string node)
    {
        try
        {
            if (!await recorded.ConfigureAwait(false))
            {
                // A newer move of this process is recorded: this one's update came late. Nothing to undo.
                MigrationLog.DirectoryNotUpdated(_logger, id, node, "the owner records a newer move of the process");
            }
        }
        catch (DirectoryUnavailableException exception)
        {
            // Forwarding entries still lead to the process; the owner is re-filled when membership settles.
            MigrationLog.DirectoryNotUpdated(_logger, id, node, exception.Message);
        }
    }

    /// <summary>The expiry of an inactive copy fired: if it is still waiting for its commit, the source gave up on it.</summary>
    private void DiscardNeverCommitted(ProcessId id, InactiveCopy received)
    {
        if (_inactive.TryRemove(KeyValuePair.Create(id, received)))
        {
            MigrationLog.NeverCommitted(_logger, id, received.Via.Name);
            Discarded(received);
            received.Expiry.Dispose();
        }
    }

    /// <summary>An inactive copy is dropped: its record says so, and what reached it goes back to where the process lives.</summary>
    private void Discarded(InactiveCopy received)
    {
        var id = received.Process.Id;
        _outcomes.TryUpdate(id, (received.Offer.Epoch, OfferOutcome.Discarded), (received.Offer.Epoch, OfferOutcome.Waiting));
        _arrivals.DiscardInactive(received.Process, received.Via);
    }

    /// <summary>The destination's answer to a source in doubt: what became of its offer.</summary>
    private AnswerMessage OutcomeOf(OutcomeQueryMessage query)
    {
        var outcome = _outcomes.TryGetValue(ProcessId.FromGuid(query.Process), out var known) && known.Epoch == query.Epoch ? known.Outcome : (OfferOutcome?)null;
        return new AnswerMessage(query.RequestId, outcome == OfferOutcome.Activated, query.Process, null, Self, outcome switch
        {
            OfferOutcome.Activated => "activated",
            OfferOutcome.Waiting => "waiting",
            OfferOutcome.Discarded => "discarded",
            _ => "unknown",
        });
    }

    /// <summary>
    /// The commit got no answer in time: the process stays frozen here while the source asks the destination what became
    /// of the offer — committing it again while it is still waiting — until the answer is definitive, or until
    /// membership declares the destination down (null: the caller rolls back). Never decided from the connection's look.
    /// </summary>
    private async Task<AnswerMessage?> ResolveInDoubtAsync(string target, ProcessId process, long epoch)
    {
        var pause = TimeSpan.FromMilliseconds(20);
        while (_membership!.IsConnected(target))
        {
            try
            {
                var answer = await AskAsync(target, id => new OutcomeQueryMessage(id, process.ToGuid(), epoch), "the outcome query").ConfigureAwait(false);
                switch (answer.Reason)
                {
                    case "activated":
                        return answer;
                    case "waiting":
                        var committed = await AskAsync(target, id => new CommitMessage(id, process.ToGuid(), epoch), "the commit").ConfigureAwait(false);
                        if (committed.Ok)
                        {
                            return committed;
                        }

                        continue; // it may have been discarded in between: ask again
                    default:
                        return answer; // discarded, or never seen: it did not run there
                }
            }
            catch (MigrationFailedException exception) when (exception.Reason == MigrationFailureReason.Timeout)
            {
                await Task.Delay(pause).ConfigureAwait(false); // still no answer: ask again while the node is a member
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _timeout.Ticks));
            }
            catch (MigrationFailedException)
            {
                return null;
            }
        }

        return null;
    }

    private async Task SendQuietlyAsync(string node, IClusterMessage message)
    {
        try
        {
            await _membership!.SendAsync(node, message).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // It is gone; so is anything it held for us.
        }
    }

    private static MigrationFailedException Failed(MigrationFailureReason reason, string message, Exception? inner = null) =>
        new(reason, message, inner);
}
