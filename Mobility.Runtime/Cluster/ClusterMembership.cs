using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Transport;

namespace Mobility.Cluster;

/// <summary>
/// Who is in the cluster: accepts and opens authenticated connections (one per pair of nodes), keeps a
/// full mesh by gossiping members, detects silent peers by heartbeats, and carries the cluster protocol's
/// frames. It knows nothing of processes: every other message goes to the handler the node gives it.
/// </summary>
internal sealed class ClusterMembership : IAsyncDisposable
{
    private readonly MobilityOptions _options;
    private readonly TransportOptions _transport;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Peer> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PeerConnection, Peer> _byConnection = new();
    private readonly SemaphoreSlim _linking = new(1, 1);
    private long _lastLink;
    private readonly ConcurrentDictionary<string, Task> _joining = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly MemoryPackSerializerOptions _serializerOptions;
    private ConnectionListener? _listener;
    private Task _heartbeats = Task.CompletedTask;

    public ClusterMembership(
        MobilityOptions options,
        ILoggerFactory loggerFactory,
        MemoryPackSerializerOptions serializerOptions)
    {
        _options = options;
        _serializerOptions = serializerOptions;
        _logger = loggerFactory.CreateLogger("Mobility.Cluster");
        Dispatcher = new ClusterDispatcher(_logger, options.NodeName);
        Dispatcher.Inline<HeartbeatMessage>(static (_, _) => { }, ClusterDispatcher.Senders.MembersAndLinks); // its arrival was the point
        Dispatcher.Inline<MembersMessage>(OnMembers);
        _transport = new TransportOptions
        {
            // A node of no cluster still needs a key for the handshake's cluster purpose: one nobody can prove.
            Cookie = options.Cookie ?? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            MigrationSecret = options.MigrationSecret,
            MigrationSecretFor = remote => options.RemoteSecrets.TryGetValue(remote, out var secret) ? secret : null,
            Tls = options.Tls?.ToSettings(),
            HandshakeTimeout = options.HandshakeTimeout,
            MaxConnections = options.MaxConnections,
            NodeName = options.NodeName,
            MaxFrameSize = options.MaxFrameSize,
            LoggerFactory = loggerFactory,
            Faults = options.Faults,
        };
    }

    /// <summary>Where every message that arrives goes: membership's own, and those of the subsystems that registered theirs.</summary>
    public ClusterDispatcher Dispatcher { get; }

    /// <summary>Raised when a node joins (connects to) this one.</summary>
    public event Action<string>? NodeUp;

    /// <summary>Raised when a node leaves, its connection fails or it stops answering.</summary>
    public event Action<string, string>? NodeDown;

    /// <summary>Raised when a link to another cluster closes (its address and the reason).</summary>
    public event Action<PeerAddress, string>? LinkDown;

    public string Self => _options.NodeName;

    public IPEndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    public IReadOnlyCollection<string> Nodes => [.. _peers.Values.Where(peer => !peer.External).Select(peer => peer.Name).Order(StringComparer.Ordinal)];

    public bool IsConnected(string node) => _peers.ContainsKey(node);

    /// <summary>Whether <paramref name="node"/> is a connected member of this cluster (not a link to another).</summary>
    public bool IsMember(string node) => _peers.TryGetValue(node, out var peer) && !peer.External;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Listen is { } endPoint)
        {
            _listener = new ConnectionListener(endPoint, _transport, Accept, OnAcceptedAsync, OnFrameAsync);
            _listener.Start();
            ClusterLog.Listening(_logger, Self, _listener.LocalEndPoint);
        }

        _heartbeats = Task.Run(() => HeartbeatLoopAsync(_stopping.Token), CancellationToken.None);
        foreach (var seed in _options.Seeds)
        {
            try
            {
                await ConnectAsync(seed, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or MobilityException)
            {
                ClusterLog.JoinFailed(_logger, Self, seed.ToString() ?? "a seed", exception.Message);
            }
        }
    }

    /// <summary>Connects to the node at <paramref name="endPoint"/> and, through it, to its whole cluster.</summary>
    /// <returns>The name of the node reached.</returns>
    public async Task<string> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        if (_options.Cookie is null)
        {
            throw new InvalidOperationException($"Node '{Self}' has no MobilityOptions.Cookie: it cannot join a cluster.");
        }

        var connection = await TransportConnector.ConnectAsync(endPoint, _transport, ConnectionPurpose.Cluster, OnFrameAsync, cancellationToken)
            .ConfigureAwait(false);
        await RegisterAsync(connection, initiatedHere: true).ConfigureAwait(false);
        return connection.RemoteNodeName;
    }

    /// <summary>
    /// Opens (or reuses) a link to a node of another cluster running the mobility TCP server, authenticated with
    /// the migration secret. Links carry the cluster protocol but are not members: no gossip, not in <see cref="Nodes"/>.
    /// </summary>
    /// <returns>The address this node routes the link by.</returns>
    public async Task<PeerAddress> LinkAsync(string host, int port, CancellationToken cancellationToken)
    {
        var address = PeerAddress.Dialled(host, port);
        var secret = _options.SecretFor($"{host}:{port}")
            ?? throw new InvalidOperationException(
                $"Node '{Self}' has no MobilityOptions.MigrationSecret (nor a RemoteSecrets entry for \"{host}:{port}\"): it cannot move processes there.");

        await _linking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_peers.TryGetValue(address.Name, out var existing) && !existing.Connection.Completion.IsCompleted)
            {
                return address;
            }

            var connection = await TransportConnector.ConnectAsync(
                new DnsEndPoint(host, port), _transport with { Cookie = secret }, ConnectionPurpose.Migration, OnFrameAsync, cancellationToken)
                .ConfigureAwait(false);
            Track(new Peer(connection, initiatedHere: true, address));
            return address;
        }
        finally
        {
            _linking.Release();
        }
    }


    /// <summary>Sends <paramref name="message"/> to <paramref name="node"/>.</summary>
    /// <exception cref="ConnectionClosedException">This node is not connected to <paramref name="node"/>.</exception>
    public ValueTask SendAsync(string node, IClusterMessage message, CancellationToken cancellationToken = default) =>
        WriteAsync(
            node,
            (message, _serializerOptions),
            static (state, writer) => Serialize(writer, state.message, state._serializerOptions),
            inOrder: false,
            cancellationToken);

    /// <summary>
    /// Sends a message to a process; one without a number yet takes it from <paramref name="numberFrom"/> as it is
    /// queued, so this node's messages to a process leave in the order of their numbers and the receiver need not
    /// hold any back.
    /// </summary>
    /// <exception cref="ConnectionClosedException">This node is not connected to <paramref name="node"/>.</exception>
    public ValueTask SendNumberedAsync(string node, INumberedMessage message, ISequenceSource numberFrom, CancellationToken cancellationToken = default) =>
        SendNumberedAsync(node, message, numberFrom, 0, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendNumberedAsync(string, INumberedMessage, ISequenceSource, CancellationToken)"/>, followed in the
    /// same frame by what <paramref name="writeTrailer"/> writes (if given). If writing fails, nothing is sent and a
    /// number taken for the message is given back (<see cref="ISequenceSource.GiveBack"/>).
    /// </summary>
    /// <exception cref="ConnectionClosedException">This node is not connected to <paramref name="node"/>.</exception>
    public ValueTask SendNumberedAsync<TTrailer>(
        string node,
        INumberedMessage message,
        ISequenceSource numberFrom,
        TTrailer trailer,
        Action<TTrailer, IBufferWriter<byte>>? writeTrailer,
        CancellationToken cancellationToken = default) =>
        WriteAsync(
            node,
            (message, numberFrom, trailer, writeTrailer, _serializerOptions),
            static (state, writer) =>
            {
                if (state.message.Sequence != 0)
                {
                    Serialize(writer, state.message, state._serializerOptions);
                    state.writeTrailer?.Invoke(state.trailer, writer);
                    return;
                }

                // Written and queued under the connection's send order: no later number of this connection is taken
                // before a failed write gives its number back, so a failure leaves no gap for the receiver to wait on.
                var number = state.message.Sequence = state.numberFrom.NextSequence();
                try
                {
                    Serialize(writer, state.message, state._serializerOptions);
                    state.writeTrailer?.Invoke(state.trailer, writer);
                }
                catch
                {
                    state.message.Sequence = 0;
                    state.numberFrom.GiveBack(number);
                    throw;
                }
            },
            inOrder: true,
            cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> followed, in the same frame, by what <paramref name="writeTrailer"/> writes from
    /// <paramref name="trailer"/> (a migrating process's state, a message's arguments, a call's result: written straight
    /// into the frame). The receiver's handler gets those bytes as its trailer
    /// (<see cref="ClusterDispatcher.InlineTrailed{TMessage}"/>). If writing fails, nothing is sent and the exception is
    /// returned through the task.
    /// </summary>
    /// <exception cref="ConnectionClosedException">This node is not connected to <paramref name="node"/>.</exception>
    public ValueTask SendAsync<TTrailer>(
        string node,
        ITrailedMessage message,
        TTrailer trailer,
        Action<TTrailer, IBufferWriter<byte>> writeTrailer,
        CancellationToken cancellationToken = default) =>
        WriteAsync(
            node,
            (message, trailer, writeTrailer, _serializerOptions),
            static (state, writer) =>
            {
                Serialize(writer, state.message, state._serializerOptions);
                state.writeTrailer(state.trailer, writer);
            },
            inOrder: false,
            cancellationToken);

    /// <summary>Writes a frame to <paramref name="node"/>'s connection (in order: written and queued in one step).</summary>
    private ValueTask WriteAsync<TState>(string node, TState state, Action<TState, IBufferWriter<byte>> write, bool inOrder, CancellationToken cancellationToken)
    {
        if (!_peers.TryGetValue(node, out var peer))
        {
            return NotConnected(node);
        }

        return inOrder
            ? peer.Connection.SendInOrderAsync(state, write, cancellationToken)
            : peer.Connection.SendAsync(state, write, cancellationToken);
    }

    private ValueTask NotConnected(string node) =>
        ValueTask.FromException(new ConnectionClosedException(node, $"node '{Self}' is not connected to it"));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await _listener.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_peers.Values.Select(peer => peer.Connection.CloseAsync($"node '{Self}' is stopping"))).ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        _stopping.Dispose();
        _linking.Dispose();
    }

    private static void Serialize(IBufferWriter<byte> writer, IClusterMessage message, MemoryPackSerializerOptions options) =>
        MemoryPackSerializer.Serialize(writer, message, options);

    private string? Accept(string remoteName, ConnectionPurpose purpose)
    {
        if (purpose == ConnectionPurpose.Migration)
        {
            return null; // the handshake checked the migration secret; a link is not a member, its name may be anything
        }

        if (_options.Cookie is null)
        {
            return $"node '{Self}' belongs to no cluster (it has no cookie)";
        }

        if (string.Equals(remoteName, Self, StringComparison.Ordinal))
        {
            return $"the name '{remoteName}' is this node's own name: node names must be unique in a cluster";
        }

        // A second connection from a node that already dialled this one is another node with the same name. (When this
        // node dialled it, both may be dialling each other at once: RegisterAsync keeps one of the two connections.)
        var dialledUsBefore = _peers.TryGetValue(remoteName, out var existing) && !existing.Connection.Completion.IsCompleted && !existing.InitiatedHere;
        return dialledUsBefore
            ? $"a node named '{remoteName}' is already a member of this cluster: node names must be unique"
            : null;
    }

    private ValueTask OnAcceptedAsync(PeerConnection connection)
    {
        if (connection.Purpose == ConnectionPurpose.Migration)
        {
            Track(new Peer(connection, initiatedHere: false, PeerAddress.Accepted(connection.RemoteNodeName, Interlocked.Increment(ref _lastLink))));
            return ValueTask.CompletedTask;
        }

        return RegisterAsync(connection, initiatedHere: false);
    }

    /// <summary>Registers a link to another cluster.</summary>
    private void Track(Peer link)
    {
        _peers[link.Name] = link;
        _byConnection[link.Connection] = link;
        _ = link.Connection.Completion.ContinueWith(
            _ => OnClosed(link, link.Connection.CloseReason ?? "the connection closed"),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Makes <paramref name="connection"/> the link to its node. If two connections race (both nodes dialled
    /// each other), both sides keep the one opened by the node whose name sorts first.
    /// </summary>
    private async ValueTask RegisterAsync(PeerConnection connection, bool initiatedHere)
    {
        var name = connection.RemoteNodeName;
        var peer = new Peer(connection, initiatedHere);
        var keepNew = true;
        _peers.AddOrUpdate(
            name,
            peer,
            (_, existing) =>
            {
                if (existing.Connection.Completion.IsCompleted)
                {
                    return peer;
                }

                var preferred = string.CompareOrdinal(Self, name) < 0; // true: keep the connection this node opened
                keepNew = peer.InitiatedHere == preferred && existing.InitiatedHere != preferred;
                return keepNew ? peer : existing;
            });

        if (keepNew)
        {
            _byConnection[connection] = peer;
        }
        else
        {
            ClusterLog.DuplicateConnection(_logger, Self, name);
            await connection.CloseAsync("a connection between these two nodes already exists").ConfigureAwait(false);
            return;
        }

        _ = connection.Completion.ContinueWith(
            _ => OnClosed(peer, connection.CloseReason ?? "the connection closed"),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        ClusterLog.NodeUp(_logger, Self, name);
        NodeUp?.Invoke(name);
        await BroadcastMembersAsync().ConfigureAwait(false);
    }

    private void OnClosed(Peer peer, string reason)
    {
        _byConnection.TryRemove(peer.Connection, out _);
        if (!_peers.TryRemove(new KeyValuePair<string, Peer>(peer.Name, peer)))
        {
            return;
        }

        ClusterLog.NodeDown(_logger, Self, peer.Name, reason);
        if (peer.External)
        {
            LinkDown?.Invoke(peer.Address, reason);
        }
        else
        {
            NodeDown?.Invoke(peer.Name, reason);
        }
    }

    private ValueTask OnFrameAsync(PeerConnection connection, ReadOnlySequence<byte> frame)
    {
        if (!_byConnection.TryGetValue(connection, out var peer))
        {
            return ValueTask.CompletedTask; // a connection that lost the race for its pair, or not yet registered: its frames are not ours
        }

        peer.Heard();
        IClusterMessage? message = null;
        long consumed;
        try
        {
            consumed = MemoryPackSerializer.Deserialize(frame, ref message, _serializerOptions);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Hostile bytes make MemoryPack throw more than its own exception type (index, overflow, cast...).
            ClusterLog.MalformedFrame(_logger, Self, peer.Name, exception);
            connection.Abort($"a frame from node '{peer.Name}' could not be decoded: {exception.Message}", failure: true, exception);
            return ValueTask.CompletedTask;
        }

        if (message is null)
        {
            connection.Abort($"node '{peer.Name}' sent an empty message", failure: true);
            return ValueTask.CompletedTask;
        }

        // The trailer is valid only while an inline handler runs: the frame's memory goes back to the connection afterwards.
        Dispatcher.Dispatch(peer, message, frame.Slice(consumed)); // never waits: see ClusterDispatcher
        return ValueTask.CompletedTask;
    }

    /// <summary>Learns the sender's listen endpoint and connects to the members this node misses.</summary>
    private void OnMembers(Peer from, MembersMessage members)
    {
        foreach (var member in members.Members)
        {
            if (member.Name == from.Name)
            {
                if (from.Advertised != member)
                {
                    // Now this node can tell the others where the sender listens.
                    from.Advertised = member;
                    _ = BroadcastMembersAsync();
                }

                continue;
            }

            // Of two listening nodes, the one whose name sorts first dials; a node that does not listen cannot be
            // dialled, so it dials everybody itself.
            var theyDial = string.CompareOrdinal(Self, member.Name) > 0 && LocalEndPoint is not null;
            if (member.Name == Self || _peers.ContainsKey(member.Name) || theyDial || member.Port == 0)
            {
                continue;
            }

            _joining.GetOrAdd(member.Name, name => Task.Run(async () =>
            {
                try
                {
                    await ConnectAsync(new DnsEndPoint(member.Host, member.Port), _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is IOException or MobilityException or OperationCanceledException or InvalidOperationException)
                {
                    ClusterLog.JoinFailed(_logger, Self, $"{name} at {member.Host}:{member.Port}", exception.Message);
                }
                finally
                {
                    _joining.TryRemove(name, out _);
                }
            }));
        }
    }

    private async Task BroadcastMembersAsync()
    {
        var members = new List<MemberInfo>(_peers.Count + 1);
        if (LocalEndPoint is { } local)
        {
            members.Add(new MemberInfo(Self, AdvertisedHost(local), local.Port));
        }

        members.AddRange(_peers.Values.Where(peer => !peer.External).Select(peer => peer.Advertised).OfType<MemberInfo>());
        var message = new MembersMessage([.. members]);
        foreach (var peer in _peers.Values.Where(peer => !peer.External))
        {
            try
            {
                await SendAsync(peer.Name, message).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException)
            {
                // That peer is going away; its own close handling reports it.
            }
        }
    }

    private static string AdvertisedHost(IPEndPoint local) =>
        local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any)
            ? Dns.GetHostName()
            : local.Address.ToString();

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        var heartbeat = new HeartbeatMessage();
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var peer in _peers.Values)
                {
                    if (peer.SilentFor > _options.FailureDetectionTimeout)
                    {
                        peer.Connection.Abort(
                            $"node '{peer.Name}' sent nothing for {peer.SilentFor.TotalSeconds:0.#} s (failure detection timeout {_options.FailureDetectionTimeout.TotalSeconds:0.#} s)",
                            failure: true);
                        continue;
                    }

                    try
                    {
                        await SendAsync(peer.Name, heartbeat, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (exception is IOException or InvalidOperationException)
                    {
                        // The peer's close handling reports it.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }
}
