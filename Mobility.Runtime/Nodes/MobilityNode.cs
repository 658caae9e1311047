using System.Collections.Concurrent;
using System.Net;
using MemoryPack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A Mobility node: hosts mobile processes, routes messages to them wherever they live in its cluster,
/// and performs their moves. Created by <c>AddMobility(...)</c>; start it with <see cref="StartAsync"/> or
/// run it as a hosted service.
/// </summary>
public sealed partial class MobilityNode : IHostedService, IAsyncDisposable, IDisposable
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly IServiceProvider _services;
    private readonly MobilityOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<Type, ProcessType> _types = [];
    private readonly Dictionary<string, ProcessType> _typesById = new(StringComparer.Ordinal);
    private readonly ProcessRoutes _routes = new();
    private readonly ConcurrentDictionary<string, LocalProcess> _heldNames = new(StringComparer.Ordinal);
    private readonly ClusterMembership? _membership;
    private readonly ClusterRequests? _requests;
    private readonly ClusterDirectory _directory;
    private readonly MigrationCoordinator _migration;
    private readonly MemoryPackSerializerOptions _serializerOptions;
    private readonly string _origin;
    private int _state;

    static MobilityNode() => Transport.CheckedStringFormatter.Install();

    internal MobilityNode(IServiceProvider services, MobilityOptions options, IEnumerable<ProcessType> types, ILoggerFactory? loggerFactory)
    {
        options.Validate();
        _services = services;
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<MobilityNode>();
        foreach (var type in types)
        {
            if (_typesById.TryGetValue(type.TypeId, out var other) && other.ClrType != type.ClrType)
            {
                throw new InvalidOperationException(
                    $"Process types '{other.ClrType.AssemblyQualifiedName}' and '{type.ClrType.AssemblyQualifiedName}' share the type id '{type.TypeId}'; a node must tell them apart.");
            }

            _typesById[type.TypeId] = type;
            _types[type.ClrType] = type;
        }

        _origin = $"{options.NodeName}#{Guid.NewGuid():N}";
        _serializerOptions = RouterServiceProvider.OptionsFor(this);
        if (options.IsConnected)
        {
            _membership = new ClusterMembership(options, loggerFactory, _serializerOptions);
            _requests = new ClusterRequests(_membership);
            _membership.NodeUp += OnNodeUp;
            _membership.NodeDown += OnNodeDown;
            _membership.LinkDown += OnLinkDown;
        }

        _directory = new ClusterDirectory(options.NodeName, _membership, _requests, options.MigrationTimeout);
        _migration = new MigrationCoordinator(this, _membership, _requests, _directory, options.MigrationTimeout, _serializerOptions, _logger);
        if (_membership is not null)
        {
            RegisterProtocols(_membership.Dispatcher);
        }
    }

    /// <summary>Raised when another node joins this node's cluster (connects to it).</summary>
    public event EventHandler<NodeEventArgs>? NodeUp;

    /// <summary>Raised when another node leaves: its connection failed, it stopped, or it stopped answering heartbeats.</summary>
    public event EventHandler<NodeEventArgs>? NodeDown;

    /// <summary>The node's name, unique in its cluster.</summary>
    public string Name => _options.NodeName;

    /// <summary>The other nodes this node is connected to (like Erlang's <c>nodes()</c>), sorted by name.</summary>
    public IReadOnlyCollection<string> Nodes => _membership?.Nodes ?? [];

    /// <summary>What process references made on this node send through.</summary>
    internal IProcessRouter Router => this;

    /// <summary>The endpoint the node listens on for its cluster (with the real port when 0 was configured), or null.</summary>
    public IPEndPoint? LocalEndPoint => _membership?.LocalEndPoint;

    /// <summary>Starts the node: listens, and joins the configured seeds. Calling it again while it runs does nothing.</summary>
    /// <exception cref="InvalidOperationException">The node was stopped; nodes do not restart.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, Created);
        if (previous == Stopped)
        {
            throw new InvalidOperationException($"Node '{Name}' has been stopped and cannot start again; build a new service provider for a new node.");
        }

        if (previous == Created)
        {
            if (_membership is not null)
            {
                await _membership.StartAsync(cancellationToken).ConfigureAwait(false);
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
        EnsureRunning();
        return _membership?.ConnectAsync(endPoint, cancellationToken)
            ?? throw new InvalidOperationException($"Node '{Name}' has no MobilityOptions.Cookie, so it cannot join a cluster.");
    }

    /// <summary>
    /// Stops every process of the node (each after the messages already queued for it, running its
    /// <c>OnStopping</c> hook), then leaves the cluster. If <paramref name="cancellationToken"/> is cancelled
    /// first, processes still busy are abandoned and the node leaves anyway. Calling it again does nothing.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, Stopped) == Stopped)
        {
            return;
        }

        // (A process received in a migration but not committed has no loop to stop: it is dropped with the node.)
        await Task.WhenAll(_routes.Local.Where(process => process.IsRunning).Select(process => StopQuietlyAsync(process, cancellationToken)))
            .ConfigureAwait(false);
        if (_membership is not null)
        {
            await _membership.DisposeAsync().ConfigureAwait(false);
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
        EnsureRunning();
        cancellationToken.ThrowIfCancellationRequested();
        var type = TypeOf(typeof(T));
        var process = new LocalProcess(this, type, ProcessId.New(), type.Create(_services));
        _routes.For(process.Id).RunsHere(process);
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
        var record = await _directory.WhereIsAsync(name).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        return record.TypeId == T.TypeId
            ? new ProcessRef<T>(record.Process, record.Node, this)
            : throw new InvalidOperationException($"The name '{name}' is registered by {record.TypeId}#{record.Process}, which is not a '{T.TypeId}'.");
    }

    /// <summary>Freezes a process between two messages and returns its snapshot; it keeps running.</summary>
    internal Task<ProcessSnapshot> SnapshotAsync(ProcessRef process, CancellationToken cancellationToken = default) =>
        SystemCalls.SendAsync(process, new SnapshotRequest(), cancellationToken);

    /// <summary>
    /// Brings a snapshot back to life on this node: a new instance through dependency injection,
    /// its state restored, its names registered, its loop started.
    /// </summary>
    internal async Task<ProcessRef> RestoreAsync(ProcessSnapshot snapshot, ProcessId id, MigrationInfo? arrival, CancellationToken cancellationToken = default)
    {
        EnsureRunning();
        var type = _typesById.GetValueOrDefault(snapshot.TypeId)
            ?? throw new InvalidOperationException($"Process type '{snapshot.TypeId}' is not registered with node '{Name}'; it cannot be restored here.");
        var instance = type.Create(_services);
        StateCodec.Read(instance, snapshot.State, _serializerOptions);
        var process = new LocalProcess(this, type, id, instance);
        foreach (var name in snapshot.Names)
        {
            await _directory.ClaimAsync(name, id, type.TypeId, Name).ConfigureAwait(false);
            _heldNames[name] = process;
        }

        process.AdoptTravellers(snapshot.Names, [], [], []);
        _routes.For(id).RunsHere(process);
        await process.StartAsync(arrival, runStartedHook: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RecordLocationQuietlyAsync(id).ConfigureAwait(false);
        return process.Self;
    }

    private ProcessType TypeOf(Type clrType) =>
        _types.TryGetValue(clrType, out var type)
            ? type
            : throw new InvalidOperationException(
                $"Process type '{clrType.FullName}' is not registered with node '{Name}'. Call services.AddMobileProcesses() " +
                "(generated for every [MobileProcess] class of your assembly) or services.AddMobileProcess<T>() when you build the node.");

    private void EnsureRunning()
    {
        switch (Volatile.Read(ref _state))
        {
            case Created:
                throw new InvalidOperationException($"Node '{Name}' is not started: call StartAsync first, or run it as a hosted service.");
            case Stopped:
                throw new InvalidOperationException($"Node '{Name}' has been stopped.");
        }
    }

    private async Task RecordLocationQuietlyAsync(ProcessId id)
    {
        try
        {
            await _directory.SetLocationAsync(id, Name).ConfigureAwait(false);
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
            await process.Self.StopAsync(cancellationToken).ConfigureAwait(false);
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
}
