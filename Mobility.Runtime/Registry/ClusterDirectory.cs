using System.Collections.Concurrent;
using Mobility.Cluster;

namespace Mobility.Registry;

/// <summary>
/// The cluster directory (gproc's role): where each process lives, and which process holds each
/// cluster-wide name. Every key is owned by one live member, chosen by <see cref="RendezvousHash"/>;
/// owners keep the entries, other nodes ask them (a node alone in its cluster owns everything). It
/// records where processes are; it never moves them.
/// </summary>
internal sealed class ClusterDirectory
{
    private readonly string _self;
    private readonly ClusterMembership? _membership;
    private readonly ClusterRequests? _requests;
    private readonly TimeSpan _timeout;
    private readonly ConcurrentDictionary<ProcessId, LocationRecord> _locations = new();
    private readonly ConcurrentDictionary<string, NameRecord> _names = new(StringComparer.Ordinal);

    public ClusterDirectory(string self, ClusterMembership? membership, ClusterRequests? requests, TimeSpan timeout)
    {
        _self = self;
        _membership = membership;
        _requests = requests;
        _timeout = timeout;
    }

    /// <summary>
    /// Registers the directory protocol: members only (a link to another cluster never reads or writes this cluster's
    /// directory). Requests are answered inline from the tables; the answer leaves without being waited for.
    /// </summary>
    public void Register(ClusterDispatcher dispatcher)
    {
        dispatcher.Inline<DirectorySetMessage>((peer, request) => AnswerQuietly(peer, Answer(request)));
        dispatcher.Inline<DirectoryLookupMessage>((peer, request) => AnswerQuietly(peer, Answer(request)));
        dispatcher.Inline<NameClaimMessage>((peer, request) => AnswerQuietly(peer, Answer(request)));
        dispatcher.Inline<NameLookupMessage>((peer, request) => AnswerQuietly(peer, Answer(request)));
        dispatcher.Inline<DirectoryRemoveMessage>((_, remove) => Handle(remove));
        dispatcher.Inline<NameReleaseMessage>((_, release) => Release(release));
    }

    public string OwnerOf(ProcessId process) => OwnerOf(LocationKey(process));

    public string OwnerOfName(string name) => OwnerOf(NameKey(name));

    /// <summary>The key a process's location is hashed by to find its owner.</summary>
    public static string LocationKey(ProcessId process) => "p:" + process;

    /// <summary>The key a name is hashed by to find its owner.</summary>
    public static string NameKey(string name) => "n:" + name;

    /// <summary>
    /// Records that <paramref name="process"/> lives on <paramref name="node"/> since its move of epoch
    /// <paramref name="epoch"/>; the owner keeps an entry of a higher epoch instead.
    /// </summary>
    /// <returns>False if the owner kept a newer entry.</returns>
    /// <exception cref="DirectoryUnavailableException">The owner of the entry is not connected or did not answer.</exception>
    public async Task<bool> SetLocationAsync(ProcessId process, string node, long epoch) =>
        await (await BeginSetLocationAsync(process, node, epoch).ConfigureAwait(false)).Recorded.ConfigureAwait(false);

    /// <summary>
    /// Like <see cref="SetLocationAsync"/>, but returns as soon as the request is on its way to the entry's owner
    /// (queued on that node's connection, so anything sent to the owner afterwards arrives after it): with the
    /// owner, and a task that completes once the owner recorded the location.
    /// </summary>
    /// <exception cref="DirectoryUnavailableException">The owner is not connected (also how the task may fail).</exception>
    public async ValueTask<(string Owner, Task<bool> Recorded)> BeginSetLocationAsync(ProcessId process, string node, long epoch)
    {
        var owner = OwnerOf(process);
        if (owner == _self)
        {
            return (owner, Task.FromResult(Record(process, new LocationRecord(node, epoch))));
        }

        try
        {
            var answer = await _requests!.SendAsync(owner, id => new DirectorySetMessage(id, process.ToGuid(), node, epoch), _timeout).ConfigureAwait(false);
            return (owner, AwaitRecordedAsync(owner, answer));
        }
        catch (IOException exception)
        {
            throw new DirectoryUnavailableException(owner, exception);
        }
    }

    /// <summary>Where <paramref name="process"/> lives, or null if the directory does not know it.</summary>
    public async Task<string?> LookupAsync(ProcessId process)
    {
        var owner = OwnerOf(process);
        if (owner == _self)
        {
            return _locations.TryGetValue(process, out var location) ? location.Node : null;
        }

        var answer = await AskAsync(owner, id => new DirectoryLookupMessage(id, process.ToGuid())).ConfigureAwait(false);
        return answer.Ok ? answer.Node : null;
    }

    /// <summary>Forgets a process that stopped on <paramref name="node"/> (best effort).</summary>
    public void RemoveLocation(ProcessId process, string node)
    {
        var owner = OwnerOf(process);
        if (owner == _self)
        {
            RemoveIfAt(process, node);
        }
        else
        {
            _ = SendQuietlyAsync(owner, new DirectoryRemoveMessage(process.ToGuid(), node));
        }
    }

    /// <summary>Gives <paramref name="name"/> to the process, or records its new node if it already holds it.</summary>
    /// <returns>True if the name was newly claimed.</returns>
    /// <exception cref="NameAlreadyRegisteredException">Another process holds it.</exception>
    public async Task<bool> ClaimAsync(string name, ProcessId process, string typeId, string node)
    {
        var owner = OwnerOfName(name);
        var answer = owner == _self
            ? Claim(new NameClaimMessage(0, name, process.ToGuid(), typeId, node))
            : await AskAsync(owner, id => new NameClaimMessage(id, name, process.ToGuid(), typeId, node)).ConfigureAwait(false);
        return answer.Ok
            ? answer.Reason is null
            : throw new NameAlreadyRegisteredException(name, ProcessId.FromGuid(answer.Process));
    }

    /// <summary>Who holds <paramref name="name"/>, or null.</summary>
    public async Task<NameRecord?> WhereIsAsync(string name)
    {
        var owner = OwnerOfName(name);
        if (owner == _self)
        {
            return _names.TryGetValue(name, out var record) ? record : null;
        }

        var answer = await AskAsync(owner, id => new NameLookupMessage(id, name)).ConfigureAwait(false);
        return answer.Ok ? new NameRecord(ProcessId.FromGuid(answer.Process), answer.TypeId!, answer.Node!) : null;
    }

    /// <summary>Gives up <paramref name="name"/> if <paramref name="process"/> holds it (best effort).</summary>
    public void Release(string name, ProcessId process)
    {
        var owner = OwnerOfName(name);
        if (owner == _self)
        {
            Release(new NameReleaseMessage(name, process.ToGuid()));
        }
        else
        {
            _ = SendQuietlyAsync(owner, new NameReleaseMessage(name, process.ToGuid()));
        }
    }

    /// <summary>Answers a directory request addressed to this node as an owner.</summary>
    public AnswerMessage Answer(IClusterRequest request) => request switch
    {
        DirectorySetMessage set => SetLocal(set),
        DirectoryLookupMessage lookup => _locations.TryGetValue(ProcessId.FromGuid(lookup.Process), out var location)
            ? new AnswerMessage(lookup.RequestId, true, lookup.Process, null, location.Node, null)
            : new AnswerMessage(lookup.RequestId, false, lookup.Process, null, null, null),
        NameClaimMessage claim => Claim(claim),
        NameLookupMessage lookup => _names.TryGetValue(lookup.Name, out var record)
            ? new AnswerMessage(lookup.RequestId, true, record.Process.ToGuid(), record.TypeId, record.Node, null)
            : new AnswerMessage(lookup.RequestId, false, Guid.Empty, null, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.GetType().Name, "Not a directory request."),
    };

    public void Handle(DirectoryRemoveMessage remove) => RemoveIfAt(ProcessId.FromGuid(remove.Process), remove.Node);

    public void Release(NameReleaseMessage release)
    {
        if (_names.TryGetValue(release.Name, out var record) && record.Process.ToGuid() == release.Process)
        {
            _names.TryRemove(new KeyValuePair<string, NameRecord>(release.Name, record));
        }
    }

    /// <summary>Forgets every entry of a node that went down: its processes died with it.</summary>
    public void ForgetNode(string node)
    {
        foreach (var (process, location) in _locations)
        {
            if (location.Node == node)
            {
                _locations.TryRemove(new KeyValuePair<ProcessId, LocationRecord>(process, location));
            }
        }

        foreach (var (name, record) in _names)
        {
            if (record.Node == node)
            {
                _names.TryRemove(new KeyValuePair<string, NameRecord>(name, record));
            }
        }
    }

    private AnswerMessage SetLocal(DirectorySetMessage set) =>
        Record(ProcessId.FromGuid(set.Process), new LocationRecord(set.Node, set.Epoch))
            ? new AnswerMessage(set.RequestId, true, set.Process, null, set.Node, null)
            : new AnswerMessage(set.RequestId, false, set.Process, null, _locations.TryGetValue(ProcessId.FromGuid(set.Process), out var kept) ? kept.Node : null, "a newer move is recorded");

    /// <summary>The owner's rule: an entry is replaced only by one of the same or a higher epoch.</summary>
    /// <returns>False if the entry kept is newer.</returns>
    private bool Record(ProcessId process, LocationRecord wanted)
    {
        while (true)
        {
            if (_locations.TryAdd(process, wanted))
            {
                return true;
            }

            if (!_locations.TryGetValue(process, out var current))
            {
                continue; // removed in between: try again
            }

            if (current.Epoch > wanted.Epoch)
            {
                return false;
            }

            if (_locations.TryUpdate(process, wanted, current))
            {
                return true;
            }
        }
    }

    private void RemoveIfAt(ProcessId process, string node)
    {
        if (_locations.TryGetValue(process, out var location) && location.Node == node)
        {
            _locations.TryRemove(new KeyValuePair<ProcessId, LocationRecord>(process, location));
        }
    }

    /// <summary>The owner's side of a claim. <c>Reason</c> "held" on success means the claimant already held it.</summary>
    private AnswerMessage Claim(NameClaimMessage claim)
    {
        var wanted = new NameRecord(ProcessId.FromGuid(claim.Process), claim.TypeId, claim.Node);
        while (true)
        {
            if (_names.TryAdd(claim.Name, wanted))
            {
                return new AnswerMessage(claim.RequestId, true, claim.Process, claim.TypeId, claim.Node, null);
            }

            if (!_names.TryGetValue(claim.Name, out var holder))
            {
                continue; // released in between: try again
            }

            if (holder.Process != wanted.Process)
            {
                return new AnswerMessage(claim.RequestId, false, holder.Process.ToGuid(), holder.TypeId, holder.Node, "taken");
            }

            if (_names.TryUpdate(claim.Name, wanted, holder))
            {
                return new AnswerMessage(claim.RequestId, true, claim.Process, claim.TypeId, claim.Node, "held");
            }
        }
    }

    private string OwnerOf(string key) =>
        _membership is null ? _self : RendezvousHash.OwnerOf(key, [_self, .. _membership.Nodes]);

    private async Task<AnswerMessage> AskAsync(string owner, Func<long, IClusterRequest> build)
    {
        try
        {
            return await _requests!.AskAsync(owner, build, _timeout).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or TimeoutException)
        {
            throw new DirectoryUnavailableException(owner, exception);
        }
    }

    private static async Task<bool> AwaitRecordedAsync(string owner, Task<AnswerMessage> answer)
    {
        try
        {
            return (await answer.ConfigureAwait(false)).Ok;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException)
        {
            throw new DirectoryUnavailableException(owner, exception);
        }
    }

    private void AnswerQuietly(Peer peer, AnswerMessage answer) => _ = SendQuietlyAsync(peer.Name, answer);

    private async Task SendQuietlyAsync(string owner, IClusterMessage message)
    {
        try
        {
            await _membership!.SendAsync(owner, message).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The owner is going down; its entries go with it and are re-homed by the survivors.
        }
    }
}

/// <summary>The directory owner of a key could not be asked (it is unreachable or too slow).</summary>
internal sealed class DirectoryUnavailableException(string owner, Exception inner)
    : IOException($"The directory entry is owned by node '{owner}', which did not answer: {inner.Message}", inner);
