using Mobility.Monitoring;

namespace Mobility;

/// <summary>
/// A monitor held by code outside processes (<see cref="MobilityNode.MonitorAsync"/>): <see cref="Down"/> completes once,
/// when the target goes down, whatever node it has moved to. Disposing it gives the monitor up (demonitor): from then
/// on <see cref="Down"/> never completes with a notification (it is cancelled if it had not completed).
/// </summary>
public sealed class ProcessMonitor : IAsyncDisposable, IDisposable
{
    private readonly NodeMonitors _monitors;
    private readonly TaskCompletionSource<Down> _down = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ProcessMonitor(NodeMonitors monitors, MonitorRef monitor, ProcessRef target)
    {
        _monitors = monitors;
        Monitor = monitor;
        Target = target;
    }

    /// <summary>The monitor's id (the one <see cref="Mobility.Down.Monitor"/> carries).</summary>
    public MonitorRef Monitor { get; }

    /// <summary>The monitored process.</summary>
    public ProcessRef Target { get; }

    /// <summary>Completes with the notification when the target goes down; cancelled if the monitor is disposed first.</summary>
    public Task<Down> Down => _down.Task;

    /// <summary>Gives the monitor up: no <see cref="Down"/> is delivered afterwards.</summary>
    public void Dispose() => _monitors.Demonitor(this);

    /// <summary>Gives the monitor up (see <see cref="Dispose"/>).</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal bool TryComplete(Down down) => _down.TrySetResult(down);

    internal void Cancel() => _down.TrySetCanceled();
}
