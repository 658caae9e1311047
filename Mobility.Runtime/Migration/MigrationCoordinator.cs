namespace Mobility;

/// <summary>
/// Orchestrates moves of this node's processes. A node that belongs to no cluster and runs no
/// TCP link has nowhere to send a process: every destination is refused with its reason, before
/// the process is touched, so it keeps running with its state.
/// </summary>
internal sealed class MigrationCoordinator(string nodeName)
{
    /// <exception cref="MigrationFailedException">Always, with the reason the destination cannot be reached.</exception>
    public Task MoveAsync(LocalProcess process, Destination destination) => destination switch
    {
        NodeDestination node when node.Name == nodeName => Task.FromException(new MigrationFailedException(
            MigrationFailureReason.AlreadyThere,
            $"Process {process.Self} already lives on node '{nodeName}'.")),
        NodeDestination node => Task.FromException(new MigrationFailedException(
            MigrationFailureReason.UnknownNode,
            $"Cannot move process {process.Self} to node '{node.Name}': node '{nodeName}' is connected to no other node.")),
        TcpDestination tcp => Task.FromException(new MigrationFailedException(
            MigrationFailureReason.NotSupported,
            $"Cannot move process {process.Self} to {tcp}: this version of Mobility does not migrate out of the cluster yet.")),
        _ => throw new ArgumentOutOfRangeException(nameof(destination), destination, "Unknown kind of destination."),
    };
}
