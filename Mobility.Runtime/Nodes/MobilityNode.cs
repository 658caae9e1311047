using System.Collections.Concurrent;
using System.Net;
using MemoryPack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Migration;
using Mobility.Monitoring;
using Mobility.Nodes;
using Mobility.Processes;
using Mobility.Registry;
using Mobility.Transport;

namespace Mobility;

/// <summary>
/// A Mobility node: hosts mobile processes, routes messages to them wherever they live in its cluster,
/// and performs their moves. Created by <c>AddMobility(...)</c>; start it with <see cref="StartAsync"/> or
/// run it as a hosted service.
/// </summary>
public sealed class MobilityNode : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly NodeContext _node;
    private readonly MessageRouter _router;
    private readonly ProcessHost _host;
    private readonly NodeMonitors _monitors;
    private readonly MigrationCoordinator _migration;
    private readonly ILogger _logger;
    private int _membershipVersion;

    static MobilityNode() => Transport.CheckedStringFormatter.Install();

    /// <summary>Wires the node's subsystems; each registers the part of the cluster protocol it owns.</summary>
    internal MobilityNode(IServiceProvider services, MobilityOptions options, IEnumerable<ProcessType> types, ILoggerFactory? loggerFactory)
    {
        options.Validate();
        _node = new NodeContext(services, options, new ProcessTypes(types), loggerFactory ?? NullLoggerFactory.Instance);
        _logger = _node.Logger;
        var membership = _node.Membership;
        var sender = new NodeSender(_node);
        _router = new MessageRouter(_node, sender);
        _node.Router = _router;
        var links = new CrossClusterLinks(_node, sender, id => _host!.ForgetStopped(id));
        _monitors = new NodeMonitors(new NodeMonitorsHost(_node, sender, links));
        _router.Monitors = _monitors;
        var migrationHost = new NodeMigrationHost(_node, _router, links, (type, id, instance) => new LocalProcess(_host!, type, id, instance));
        _migration = new MigrationCoordinator(migrationHost, membership, _node.Requests, _node.Directory, options.MigrationTimeout, _node.SerializerOptions, _logger);
        _host = new ProcessHost(_node, _router, links, _migration, _monitors);
        if (membership is not null)
        {
            _router.Register(membership.Dispatcher);
            links.Register(membership.Dispatcher);
            _migration.Register(membership.Dispatcher);
            _monitors.Register(membership.Dispatcher);
            _node.Directory.Register(membership.Dispatcher);
            _node.Requests!.Register(membership.Dispatcher);
            membership.NodeUp += OnNodeUp;
            membership.NodeDown += OnNodeDown;
            membership.LinkDown += OnLinkDown;
        }
    }

    /// <summary>Raised when another node joins this node's cluster (connects to it).</summary>
    public event EventHandler<NodeEventArgs>? NodeUp;

    /// <summary>Raised when another node leaves: its connection failed, it stopped, or it stopped answering heartbeats.</summary>
    public event EventHandler<NodeEventArgs>? NodeDown;

    /// <summary>The node's name, unique in its cluster.</summary>
    public string Name => _node.Name;

    /// <summary>The other nodes this node is connected to (like Erlang's <c>nodes()</c>), sorted by name.</summary>
    public IReadOnlyCollection<string> Nodes => _node.Membership?.Nodes ?? [];

    /// <summary>The endpoint the node listens on for its cluster (with the real port when 0 was configured), or null.</summary>
    public IPEndPoint? LocalEndPoint => _node.Membership?.LocalEndPoint;

    /// <summary>What process references made on this node send through.</summary>
    internal IProcessRouter Router => _router;

    /// <summary>The node's shared state, for tests that look inside.</summary>
    internal NodeContext Context => _node;

    /// <summary>The node's migrations, for tests that act between the steps of a move.</summary>
    internal MigrationCoordinator Migration => _migration;

    /// <summary>What the node's processes are hosted by, for tests that look inside.</summary>
    internal IProcessHost Host => _host;

    /// <summary>Starts the node: listens, and joins the configured seeds. Calling it again while it runs does nothing.</summary>
    /// <exception cref="InvalidOperationException">The node was stopped; nodes do not restart.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_node.TryStart(out var first))
        {
            throw new InvalidOperationException($"Node '{Name}' has been stopped and cannot start again; build a new service provider for a new node.");
        }

        if (first)
        {
            if (_node.Membership is { } membership)
            {
                await membership.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            Log.NodeStarted(_logger, Name);
        }
    }

    /// <summary>
    /// Connects this node to the node listening at <paramref name="endPoint"/>, and through it to its whole
    /// cluster (like <c>net_adm:ping</c>).
    /// </summary>
    /// <returns>The name of the node reached.</returns>
    /// <exception cref="InvalidOperationException">The node is not running, or has no <see cref="MobilityOptions.Cookie"/>.</exception>
    /// <exception cref="IOException">The node could not be reached or authenticated (wrong cookie, duplicate name...).</exception>
    public Task<string> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _node.EnsureRunning();
        return _node.Membership?.ConnectAsync(endPoint, cancellationToken)
            ?? throw new InvalidOperationException($"Node '{Name}' has no MobilityOptions.Cookie, so it cannot join a cluster.");
    }

    /// <summary>
    /// Stops every process of the node (each after the messages already queued for it, running its
    /// <c>OnStopping</c> hook), then leaves the cluster. If <paramref name="cancellationToken"/> is cancelled
    /// first, processes still busy are abandoned and the node leaves anyway. Calling it again does nothing.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_node.TryStop())
        {
            return;
        }

        // (A process received in a migration but not committed has no loop to stop: it is dropped with the node.)
        await Task.WhenAll(_node.Routes.Local.Where(process => process.IsRunning).Select(process => StopQuietlyAsync(process, cancellationToken)))
            .ConfigureAwait(false);
        if (_node.Membership is { } membership)
        {
            await membership.DisposeAsync().ConfigureAwait(false);
        }

        Log.NodeStopped(_logger, Name);
    }

    /// <summary>Stops the node (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Stops the node, blocking until its processes have stopped. Prefer <see cref="DisposeAsync"/>
    /// (<c>await using</c>), which does not block a thread.
    /// </summary>
    public void Dispose() => StopAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Creates a process of type <typeparamref name="T"/> through dependency injection, runs its
    /// <c>OnStarted</c> hook in its own loop, and returns a reference to it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node is not running, or <typeparamref name="T"/> is not registered with it.</exception>
    public async Task<ProcessRef<T>> SpawnAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IMobileProcess<T>
    {
        _node.EnsureRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var type = _node.Types.Of(typeof(T), Name);
        var process = new LocalProcess(_host, type, ProcessId.New(), type.Create(_node.Services));
        _node.Routes.For(process.Id).RunsHere(process);
        await process.StartAsync(arrival: null, runStartedHook: true, startHere: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RecordLocationQuietlyAsync(process.Id).ConfigureAwait(false);
        Log.ProcessSpawned(_logger, process.Self);
        return (ProcessRef<T>)process.Self;
    }

    /// <summary>Finds the process registered under <paramref name="name"/> anywhere in the cluster, or null if none is.</summary>
    /// <exception cref="InvalidOperationException">The name is held by a process of another type.</exception>
    /// <exception cref="IOException">The node that owns the name's directory entry did not answer.</exception>
    public async ValueTask<ProcessRef<T>?> WhereIsAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : class, IMobileProcess<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        var record = await _node.Directory.WhereIsAsync(name).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        return record.TypeId == T.TypeId
            ? new ProcessRef<T>(record.Process, record.Node, _router)
            : throw new InvalidOperationException($"The name '{name}' is registered by {record.TypeId}#{record.Process}, which is not a '{T.TypeId}'.");
    }

    /// <summary>
    /// Monitors <paramref name="target"/> from outside any process: the returned monitor's <see cref="ProcessMonitor.Down"/>
    /// completes once when the target stops (normally or not), when the node it was last known on goes down
    /// (<see cref="ExitReason.NoConnection"/>), or at once if it is not running (<see cref="ExitReason.NoProcess"/>).
    /// The target's moves send nothing. Returns once the target has registered the monitor (or is known not to run).
    /// </summary>
    /// <exception cref="InvalidOperationException">The node is not running.</exception>
    public Task<ProcessMonitor> MonitorAsync(ProcessRef target, CancellationToken cancellationToken = default) =>
        _monitors.MonitorAsync(target, cancellationToken);

    /// <summary>The node the cluster directory says process <paramref name="id"/> lives on, or null if it does not know (yet).</summary>
    internal async Task<string?> LocateQuietlyAsync(ProcessId id) => (await _router.LocateQuietlyAsync(id).ConfigureAwait(false))?.Name;

    private async Task RecordLocationQuietlyAsync(ProcessId id)
    {
        try
        {
            await _node.Directory.SetLocationAsync(id, Name, epoch: 0).ConfigureAwait(false);
        }
        catch (DirectoryUnavailableException exception)
        {
            MigrationLog.DirectoryNotUpdated(_logger, id, Name, exception.Message);
        }
    }

    private static async Task StopQuietlyAsync(LocalProcess process, CancellationToken cancellationToken)
    {
        try
        {
            // As long as it takes (the caller's token bounds it), not the call timeout.
            await SystemCalls.SendAsync(process.Self, new StopRequest(untilStopped: true), cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStoppedException)
        {
            // It stopped (or left) by itself in the meantime.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller would not wait any longer: the process is abandoned with its node.
        }
    }

    private void OnLinkDown(PeerAddress link, string reason)
    {
        _node.Requests?.FailAll(link.Name, reason);
        _migration.ForgetOffersFrom(link);
        _router.FailCallsTo(link);
    }

    private void OnNodeUp(string node)
    {
        NodeUp?.Invoke(this, new NodeEventArgs(node));
        _ = RehomeDirectoryAsync();
    }

    private void OnNodeDown(string node, string reason)
    {
        _node.Requests?.FailAll(node, reason);
        _node.Directory.ForgetNode(node);
        var member = PeerAddress.Member(node);
        _migration.ForgetOffersFrom(member);
        _monitors.OnNodeDown(node); // before the calls fail: no connection, not "no process"
        _router.FailCallsTo(member);
        foreach (var route in _node.Routes.All)
        {
            route.Lost(member);
        }

        NodeDown?.Invoke(this, new NodeEventArgs(node, reason));
        _ = RehomeDirectoryAsync();
    }

    /// <summary>
    /// Membership changed, so some directory keys have new owners: tell each owner where this node's processes live
    /// and which names they hold. Each entry on its own: one owner that does not answer holds back only its own entries,
    /// which are tried again (with backoff) until they are recorded, membership changes again (a newer re-homing takes
    /// over), or the node stops.
    /// </summary>
    private async Task RehomeDirectoryAsync()
    {
        var version = Interlocked.Increment(ref _membershipVersion);
        var pending = new List<Func<Task>>();
        foreach (var process in _node.Routes.Local)
        {
            pending.Add(() => _node.Directory.SetLocationAsync(process.Id, Name, process.Epoch));
        }

        foreach (var (name, process) in _node.Names.All)
        {
            pending.Add(() => _node.Directory.ClaimAsync(name, process.Id, process.Type.TypeId, Name));
        }

        var pause = TimeSpan.FromMilliseconds(50);
        while (pending.Count > 0)
        {
            var failed = new List<Func<Task>>();
            foreach (var entry in pending)
            {
                try
                {
                    await entry().ConfigureAwait(false);
                }
                catch (DirectoryUnavailableException)
                {
                    failed.Add(entry);
                }
                catch (NameAlreadyRegisteredException exception)
                {
                    _logger.LogWarning(exception, "Node '{Node}' could not re-home a name: another process holds it", Name);
                }
            }

            pending = failed;
            if (pending.Count == 0 || version != Volatile.Read(ref _membershipVersion) || _node.IsStopped)
            {
                return;
            }

            _logger.LogDebug("Node '{Node}' retries {Count} directory entries whose owners did not answer", Name, pending.Count);
            await Task.Delay(pause).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }
}
