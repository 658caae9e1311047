using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Nodes;

/// <summary>
/// What the subsystems of one node share: its settings, its process types and routes, the names its processes
/// hold, and its cluster connection (null for a node of no cluster). Data only: what is done with it belongs to the
/// subsystems (<see cref="MessageRouter"/>, <see cref="CrossClusterLinks"/>, <see cref="ProcessHost"/>, and the seams
/// <see cref="NodeMigrationHost"/> and <see cref="NodeMonitorsHost"/> that migration and monitoring see) that
/// <see cref="MobilityNode"/> wires together.
/// </summary>
internal sealed class NodeContext
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    private int _state;

    private IProcessRouter? _router;

    public NodeContext(IServiceProvider services, MobilityOptions options, ProcessTypes types, ILoggerFactory loggerFactory)
    {
        Services = services;
        Options = options;
        Types = types;
        Logger = loggerFactory.CreateLogger<MobilityNode>();
        SerializerOptions = RouterServiceProvider.OptionsFor(() => Router);
        Membership = options.IsConnected ? new ClusterMembership(options, loggerFactory, SerializerOptions) : null;
        Requests = Membership is null ? null : new ClusterRequests(Membership);
        Directory = new ClusterDirectory(options.NodeName, Membership, Requests, options.MigrationTimeout);
        Origin = Nodes.Origin.New(options.NodeName);
    }

    public string Name => Options.NodeName;

    public IServiceProvider Services { get; }

    public MobilityOptions Options { get; }

    public ProcessTypes Types { get; }

    public ILogger Logger { get; }

    public ClusterMembership? Membership { get; }

    public ClusterRequests? Requests { get; }

    public ClusterDirectory Directory { get; }

    public ProcessRoutes Routes { get; } = new();

    public HeldNames Names { get; } = new();

    /// <summary>This node's incarnation as a sender: the sequence key of every message it originates.</summary>
    public string Origin { get; }

    /// <summary>Decodes with this node's <see cref="Router"/>, so every <see cref="ProcessRef"/> read from bytes is bound to it.</summary>
    public MemoryPackSerializerOptions SerializerOptions { get; }

    /// <summary>What references made on this node send through (set once, at wiring).</summary>
    public IProcessRouter Router
    {
        get => _router ?? throw new InvalidOperationException("The node's router is set when the node is wired.");
        set => _router = _router is null ? value : throw new InvalidOperationException("The node's router is set once.");
    }

    public bool IsRunning => Volatile.Read(ref _state) == Running;

    public bool IsStopped => Volatile.Read(ref _state) == Stopped;

    /// <summary>Marks the node running; false if it was stopped (nodes do not restart). True also if it ran already.</summary>
    /// <param name="first">Whether this call started it.</param>
    public bool TryStart(out bool first)
    {
        var previous = Interlocked.CompareExchange(ref _state, Running, Created);
        first = previous == Created;
        return previous != Stopped;
    }

    /// <summary>Marks the node stopped; false if it was already.</summary>
    public bool TryStop() => Interlocked.Exchange(ref _state, Stopped) != Stopped;

    /// <exception cref="InvalidOperationException">The node is not running.</exception>
    public void EnsureRunning()
    {
        switch (Volatile.Read(ref _state))
        {
            case Created:
                throw new InvalidOperationException($"Node '{Name}' is not started: call StartAsync first, or run it as a hosted service.");
            case Stopped:
                throw new InvalidOperationException($"Node '{Name}' has been stopped.");
        }
    }
}
