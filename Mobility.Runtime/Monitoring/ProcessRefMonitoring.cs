using Mobility.Monitoring;

namespace Mobility;

/// <summary>Monitoring from a reference: the node it is bound to holds the monitor.</summary>
public static class ProcessRefMonitoring
{
    /// <summary>Monitors the process through the node this reference is bound to (see <see cref="MobilityNode.MonitorAsync"/>).</summary>
    /// <exception cref="InvalidOperationException">The reference is not bound to a node, or its node is not running.</exception>
    public static Task<ProcessMonitor> MonitorAsync(this ProcessRef target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Router is IMonitoringRouter { Monitors: { } monitors }
            ? monitors.MonitorAsync(target, cancellationToken)
            : throw new InvalidOperationException($"The reference to process {target} is not bound to a node: monitor it with MobilityNode.MonitorAsync.");
    }
}
