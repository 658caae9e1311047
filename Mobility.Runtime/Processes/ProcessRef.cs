using Mobility.Generated;
using Mobility.Processes;

namespace Mobility;

/// <summary>
/// A location-independent reference to a mobile process. Holding one never tells (or needs to
/// tell) where the process lives; messages sent through it follow the process when it moves.
/// References are values: equal when they name the same process, serializable, and usable as
/// handler arguments.
/// </summary>
public abstract class ProcessRef : IEquatable<ProcessRef>, IComparable<ProcessRef>
{
    private readonly IProcessRouter? _router;

    private protected ProcessRef(ProcessId id, string nodeHint, IProcessRouter? router, TimeSpan? callTimeout)
    {
        Id = id;
        NodeHint = nodeHint;
        _router = router;
        CallTimeout = callTimeout;
    }

    /// <summary>The process's identity, fixed for its whole life.</summary>
    public ProcessId Id { get; }

    /// <summary>The stable id of the process's type.</summary>
    public abstract string TypeId { get; }

    /// <summary>The node the process was last known to live on (a routing hint, never authoritative).</summary>
    internal string NodeHint { get; }

    /// <summary>The call timeout this reference applies, or null for the node's default.</summary>
    internal TimeSpan? CallTimeout { get; }

    /// <summary>The router's route to the process, cached on first use (a reference is bound to one router).</summary>
    internal Route? RouteCache { get; set; }

    internal IProcessRouter Router => _router ?? throw new InvalidOperationException(
        $"This reference to process {Id} is not bound to a node: it was deserialized without a node's serializer options. " +
        "Obtain references from MobilityNode (SpawnAsync, WhereIsAsync) or from handler arguments.");

    /// <summary>
    /// Asks the process to register itself under <paramref name="name"/>. The registration is
    /// performed by the process in its own loop, between two messages.
    /// </summary>
    /// <exception cref="NameAlreadyRegisteredException">Another process holds the name.</exception>
    /// <exception cref="ProcessStoppedException">The process is not running.</exception>
    public Task RegisterAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return SystemCalls.SendAsync(this, new RegisterNameRequest(name), cancellationToken);
    }

    /// <summary>
    /// Asks the process to move itself to <paramref name="destination"/>, between two messages, and
    /// waits for the outcome.
    /// </summary>
    /// <exception cref="MigrationFailedException">The move rolled back; the process keeps running where it was, with its state.</exception>
    /// <exception cref="ProcessStoppedException">The process is not running.</exception>
    public Task SendMeAsync(Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return SystemCalls.SendAsync(this, new MoveRequest(destination), cancellationToken);
    }

    /// <summary>
    /// Stops the process after the messages queued before this request: its <c>OnStopping</c> hook
    /// runs, its names are released, and every later message fails with <see cref="ProcessStoppedException"/>.
    /// </summary>
    /// <exception cref="ProcessStoppedException">The process was not running.</exception>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        SystemCalls.SendAsync(this, new StopRequest(), cancellationToken);

    /// <inheritdoc />
    public bool Equals(ProcessRef? other) => other is not null && other.Id == Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProcessRef other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(ProcessRef? other) => other is null ? 1 : Id.CompareTo(other.Id);

    /// <summary>The type and id of the process, e.g. <c>Demo.Counter#9f8e…</c>.</summary>
    public override string ToString() => $"{TypeId}#{Id}";

    /// <summary>Equality by process id.</summary>
    public static bool operator ==(ProcessRef? left, ProcessRef? right) => left?.Equals(right) ?? right is null;

    /// <summary>Inequality by process id.</summary>
    public static bool operator !=(ProcessRef? left, ProcessRef? right) => !(left == right);
}
