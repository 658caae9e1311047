using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>
/// Timers and a state machine's timeouts, set from the process's own handlers: each delivers a cast the callback
/// describes (captured, not sent) at its due time; <see cref="ProcessTimers"/> keeps them.
/// </summary>
internal sealed partial class LocalProcess
{
    private readonly ProcessTimers _timers;

    public override TimerId SendAfter<T>(TimeSpan delay, Action<ProcessRef<T>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        EnsureInHandler(nameof(SendAfter));
        var capture = new CapturingRouter(_host.Router);
        send(new ProcessRef<T>(Id, _host.NodeName, capture));
        var message = capture.Single(Self);
        return _timers.Add(_host.Time.GetUtcNow() + delay, message);
    }

    public override bool CancelTimer(TimerId timer)
    {
        EnsureInHandler(nameof(CancelTimer));
        return _timers.Cancel(timer);
    }

    public override void SetTimeout<T>(TimeoutKind kind, string? name, TimeSpan delay, Action<ProcessRef<T>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        if (kind == TimeoutKind.Named)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
        }

        EnsureInHandler($"Set{(kind == TimeoutKind.Named ? string.Empty : kind.ToString())}Timeout");
        var capture = new CapturingRouter(_host.Router);
        send(new ProcessRef<T>(Id, _host.NodeName, capture));
        _timers.Add(_host.Time.GetUtcNow() + delay, capture.Single(Self), kind, kind == TimeoutKind.Named ? name : null);
    }

    public override bool CancelTimeout(TimeoutKind kind, string? name)
    {
        EnsureInHandler($"Cancel{(kind == TimeoutKind.Named ? string.Empty : kind.ToString())}Timeout");
        return _timers.Cancel(kind, name);
    }

    /// <summary>Captures the one cast a <c>SendAfter</c> callback sends, instead of delivering it.</summary>
    private sealed class CapturingRouter(IProcessRouter node) : IProcessRouter
    {
        private readonly List<ProcessMessage> _captured = [];

        public string NodeName => node.NodeName;

        public TimeSpan DefaultCallTimeout => node.DefaultCallTimeout;

        public TimeSpan MigrationTimeout => node.MigrationTimeout;

        public void Post(ProcessRef target, Envelope envelope) => _captured.Add(envelope.Message);

        public void Withdraw(CallReply reply)
        {
        }

        public CastMessage Single(ProcessRef self) => _captured switch
        {
            [CastMessage cast] => cast,
            [_] => throw new ArgumentException($"A timer of process {self} delivers a cast: call a [Cast] handler in the SendAfter callback, not a [Call].", "send"),
            _ => throw new ArgumentException($"The SendAfter callback of process {self} must send exactly one cast; it sent {_captured.Count}.", "send"),
        };
    }
}
