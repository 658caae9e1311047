using System.Collections.Concurrent;
using MemoryPack;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mobility.Diagnostics;
using Mobility.Generated;

namespace Mobility;

/// <summary>
/// A Mobility node: hosts mobile processes, routes messages to them and performs their moves.
/// Created by <c>AddMobility(...)</c>; start it with <see cref="StartAsync"/> or run it as a hosted service.
/// </summary>
public sealed class MobilityNode : IHostedService, IAsyncDisposable, IDisposable, IProcessRouter, IProcessHost
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private readonly IServiceProvider _services;
    private readonly MobilityOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<Type, ProcessType> _types = [];
    private readonly ConcurrentDictionary<ProcessId, LocalProcess> _processes = new();
    private readonly LocalNameRegistry _names = new();
    private readonly MigrationCoordinator _migration;
    private readonly MemoryPackSerializerOptions _serializerOptions;
    private int _state;

    static MobilityNode() => Transport.CheckedStringFormatter.Install();

    internal MobilityNode(IServiceProvider services, MobilityOptions options, IEnumerable<ProcessType> types, ILoggerFactory? loggerFactory)
    {
        options.Validate();
        _services = services;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MobilityNode>();
        var byId = new Dictionary<string, ProcessType>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (byId.TryGetValue(type.TypeId, out var other) && other.ClrType != type.ClrType)
            {
                throw new InvalidOperationException(
                    $"Process types '{other.ClrType.AssemblyQualifiedName}' and '{type.ClrType.AssemblyQualifiedName}' share the type id '{type.TypeId}'; a node must tell them apart.");
            }

            byId[type.TypeId] = type;
            _types[type.ClrType] = type;
        }

        _migration = new MigrationCoordinator(options.NodeName);
        _serializerOptions = RouterServiceProvider.OptionsFor(this);
    }

    /// <summary>The node's name, unique in its cluster.</summary>
    public string Name => _options.NodeName;

    string IProcessRouter.NodeName => Name;

    TimeSpan IProcessRouter.DefaultCallTimeout => _options.CallTimeout;

    string IProcessHost.NodeName => Name;

    IProcessRouter IProcessHost.Router => this;

    ILogger IProcessHost.Logger => _logger;

    MemoryPackSerializerOptions IProcessHost.SerializerOptions => _serializerOptions;

    /// <summary>Starts the node. Calling it again while it runs does nothing.</summary>
    /// <exception cref="InvalidOperationException">The node was stopped; nodes do not restart.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, Created);
        if (previous == Stopped)
        {
            throw new InvalidOperationException($"Node '{Name}' has been stopped and cannot start again; build a new service provider for a new node.");
        }

        if (previous == Created)
        {
            Log.NodeStarted(_logger, Name);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops every process of the node (each after the messages already queued for it, running its
    /// <c>OnStopping</c> hook), then the node. Calling it again does nothing.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, Stopped) == Stopped)
        {
            return;
        }

        var stopping = _processes.Values.Select(process => StopQuietlyAsync(process, cancellationToken)).ToArray();
        await Task.WhenAll(stopping).ConfigureAwait(false);
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
        _processes[process.Id] = process;
        await process.StartAsync(arrival: null, runStartedHook: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        Log.ProcessSpawned(_logger, process.Self);
        return (ProcessRef<T>)process.Self;
    }

    /// <summary>Finds the process registered under <paramref name="name"/>, or null if none is.</summary>
    /// <exception cref="InvalidOperationException">The name is held by a process of another type.</exception>
    public ValueTask<ProcessRef<T>?> WhereIsAsync<T>(string name, CancellationToken cancellationToken = default)
        where T : class, IMobileProcess<T>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        cancellationToken.ThrowIfCancellationRequested();
        return _names.WhereIs(name) switch
        {
            null => ValueTask.FromResult<ProcessRef<T>?>(null),
            ProcessRef<T> typed => ValueTask.FromResult<ProcessRef<T>?>(typed),
            var other => ValueTask.FromException<ProcessRef<T>?>(new InvalidOperationException(
                $"The name '{name}' is registered by {other}, which is not a '{T.TypeId}'.")),
        };
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
        var type = _types.Values.FirstOrDefault(candidate => candidate.TypeId == snapshot.TypeId)
            ?? throw new InvalidOperationException($"Process type '{snapshot.TypeId}' is not registered with node '{Name}'; it cannot be restored here.");
        var instance = type.Create(_services);
        StateCodec.Read(instance, snapshot.State, _serializerOptions);
        var process = new LocalProcess(this, type, id, instance);
        foreach (var name in snapshot.Names)
        {
            _names.Register(name, process.Self);
        }

        process.AdoptNames(snapshot.Names);
        _processes[id] = process;
        await process.StartAsync(arrival, runStartedHook: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        return process.Self;
    }

    void IProcessRouter.Post(ProcessRef target, ProcessMessage message)
    {
        if (!_processes.TryGetValue(target.Id, out var process) || !process.TryPost(message))
        {
            throw ProcessStoppedException.For(target);
        }
    }

    bool IProcessHost.RegisterName(string name, ProcessRef process)
    {
        var claimed = _names.Register(name, process);
        if (claimed)
        {
            Log.NameRegistered(_logger, process, name);
        }

        return claimed;
    }

    Task IProcessHost.MoveAsync(LocalProcess process, Destination destination) => _migration.MoveAsync(process, destination);

    void IProcessHost.OnStopped(LocalProcess process)
    {
        _processes.TryRemove(new KeyValuePair<ProcessId, LocalProcess>(process.Id, process));
        foreach (var name in process.Names)
        {
            _names.Release(name, process.Self);
        }
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

    private async Task StopQuietlyAsync(LocalProcess process, CancellationToken cancellationToken)
    {
        try
        {
            await process.Self.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessStoppedException)
        {
            // It stopped by itself in the meantime.
        }
    }
}
