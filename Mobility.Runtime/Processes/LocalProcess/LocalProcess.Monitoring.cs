using Mobility.Diagnostics;
using Mobility.Generated;
using Mobility.Monitoring;

namespace Mobility.Processes;

/// <summary>
/// Monitors and links of a running process. Its tables are touched only by its own loop (handlers and the
/// monitoring messages it takes in mailbox order), travel with it in a migration, and decide who hears of its end.
/// </summary>
internal sealed partial class LocalProcess
{
    private MonitoringTables? _tables; // created with the first monitor or link: most processes never have one
    private long _generation;

    public override MonitorRef Monitor(ProcessRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        EnsureInHandler(nameof(Monitor));
        var monitor = MonitorRef.New();
        Tables.Monitors[monitor] = new MonitorEntry(monitor.Value, target.Id.ToGuid(), target.TypeId, target.NodeHint, -1);
        _ = RequestMonitorAsync(RefTo(target.Id.ToGuid(), target.TypeId, target.NodeHint), monitor); // bound to this node, whatever bound the argument
        return monitor;
    }

    public override bool Demonitor(MonitorRef monitor)
    {
        EnsureInHandler(nameof(Demonitor));
        if (!Tables.Monitors.Remove(monitor, out var entry))
        {
            return false;
        }

        PostQuietly(RefTo(entry.Target, entry.TypeId, entry.Node), new DemonitorRequest(monitor));
        return true;
    }

    public override void Link(ProcessRef other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureInHandler(nameof(Link));
        if (other.Id == Id || Tables.Links.ContainsKey(other.Id.ToGuid()))
        {
            return;
        }

        Tables.Links[other.Id.ToGuid()] = new LinkEntry(other.Id.ToGuid(), other.TypeId, other.NodeHint, -1);
        _ = RequestLinkAsync(RefTo(other.Id.ToGuid(), other.TypeId, other.NodeHint));
    }

    public override void Unlink(ProcessRef other)
    {
        ArgumentNullException.ThrowIfNull(other);
        EnsureInHandler(nameof(Unlink));
        if (Tables.Links.Remove(other.Id.ToGuid(), out var entry))
        {
            PostQuietly(RefTo(entry.Process, entry.TypeId, entry.Node), new UnlinkRequest(Id.ToGuid()));
        }
    }

    /// <summary>The monitors and links as they travel in a move (the process keeps them, in case the move rolls back).</summary>
    public MonitoringState CaptureMonitoring() => _tables is null
        ? new(_generation, [], [], [])
        : new(_generation, [.. _tables.Watchers.Values], [.. _tables.Monitors.Values], [.. _tables.Links.Values]);

    private MonitoringTables Tables => _tables ??= new MonitoringTables();

    /// <summary>Before the loop starts at its new node: the monitors and links that travelled with the process.</summary>
    public void AdoptMonitoring(MonitoringState? state)
    {
        if (state is null)
        {
            return;
        }

        _generation = state.Generation + 1;
        WatcherEntry[] watchers = state.Watchers ?? [];   // (arrays a peer left out decode as null)
        MonitorEntry[] monitors = state.Monitors ?? [];
        LinkEntry[] links = state.Links ?? [];
        if (watchers.Length + monitors.Length + links.Length == 0)
        {
            return;
        }

        foreach (var watcher in watchers)
        {
            Tables.Watchers[new MonitorRef(watcher.Monitor)] = watcher;
        }

        foreach (var monitor in monitors)
        {
            Tables.Monitors[new MonitorRef(monitor.Monitor)] = monitor;
        }

        foreach (var link in links)
        {
            Tables.Links[link.Process] = link;
        }
    }

    /// <summary>After arrival: every watcher and linked process learns where this process lives now (for node-down detection).</summary>
    private void AnnounceArrival()
    {
        if (_tables is null)
        {
            return;
        }

        foreach (var (monitor, watcher) in Tables.Watchers)
        {
            if (watcher.Process == Guid.Empty)
            {
                _host.SendLocationToNode(watcher.Node, monitor, Id, _generation);
            }
            else
            {
                PostQuietly(RefTo(watcher.Process, watcher.TypeId, watcher.Node), new LocationNotice(Id.ToGuid(), _host.NodeName, _generation));
            }
        }

        foreach (var link in Tables.Links.Values)
        {
            PostQuietly(RefTo(link.Process, link.TypeId, link.Node), new LocationNotice(Id.ToGuid(), _host.NodeName, _generation));
        }
    }

    /// <summary>The process ends: every watcher gets its Down, every linked process its exit signal; its own monitors are given up.</summary>
    private void NotifyExit(ExitInfo exit)
    {
        if (_tables is null)
        {
            return; // nobody watches it, it watches nobody, it has no links
        }

        // Exit signals leave before Downs: whoever acts on a Down from this node does so after the exit signals
        // (per-sender order), so the linked processes have had theirs first.
        foreach (var link in Tables.Links.Values)
        {
            PostQuietly(RefTo(link.Process, link.TypeId, link.Node), new ExitMessage(Id.ToGuid(), Type.TypeId, exit));
        }

        foreach (var (monitor, watcher) in Tables.Watchers)
        {
            if (watcher.Process == Guid.Empty)
            {
                _host.SendDownToNode(watcher.Node, monitor, Self, exit);
            }
            else
            {
                PostQuietly(RefTo(watcher.Process, watcher.TypeId, watcher.Node), new DownSignal(monitor, Id.ToGuid(), Type.TypeId, exit));
            }
        }

        foreach (var (monitor, entry) in Tables.Monitors)
        {
            PostQuietly(RefTo(entry.Target, entry.TypeId, entry.Node), new DemonitorRequest(monitor));
        }

        Tables.Watchers.Clear();
        Tables.Links.Clear();
        Tables.Monitors.Clear();
    }

    /// <returns>False when the loop must end (an exit signal stopped the process).</returns>
    private async ValueTask<bool> HandleMonitoringAsync(Envelope envelope)
    {
        switch (envelope.Message)
        {
            case MonitorRequest request:
                Tables.Watchers[new MonitorRef(request.Watcher.Monitor)] = request.Watcher;
                CallReply<ProcessLocation>.Of(envelope.Reply).SetResult(new ProcessLocation(_host.NodeName, _generation));
                return true;

            case LinkRequest request:
                Tables.Links[request.From.Process] = request.From;
                CallReply<ProcessLocation>.Of(envelope.Reply).SetResult(new ProcessLocation(_host.NodeName, _generation));
                return true;

            case DemonitorRequest request:
                Tables.Watchers.Remove(request.Monitor);
                return true;

            case UnlinkRequest request:
                Tables.Links.Remove(request.From);
                return true;

            case LocationNotice notice:
                Relocate(notice);
                return true;

            case DownSignal signal when Tables.Monitors.Remove(signal.Monitor, out var entry):
                return await DeliverAsync(envelope, [ToDown(signal.Monitor, entry, signal.Exit)], []).ConfigureAwait(false);

            case ExitMessage signal when Tables.Links.Remove(signal.From, out var link):
                return await DeliverAsync(envelope, [], [new ExitSignal(RefTo(link.Process, link.TypeId, link.Node), signal.Exit.Reason, signal.Exit.ErrorType, signal.Exit.ErrorMessage)])
                    .ConfigureAwait(false);

            case NodeDownSignal when _tables is null:
                return true; // it watches nobody and has no links

            case NodeDownSignal signal:
                var exit = ExitInfo.NoConnection(signal.Node);
                var downs = Tables.Monitors.Where(pair => pair.Value.Node == signal.Node).ToList();
                var exits = Tables.Links.Values.Where(link => link.Node == signal.Node).ToList();
                downs.ForEach(pair => Tables.Monitors.Remove(pair.Key));
                exits.ForEach(link => Tables.Links.Remove(link.Process));
                return await DeliverAsync(
                    envelope,
                    [.. downs.Select(pair => ToDown(pair.Key, pair.Value, exit))],
                    [.. exits.Select(link => new ExitSignal(RefTo(link.Process, link.TypeId, link.Node), exit.Reason, null, exit.ErrorMessage))]).ConfigureAwait(false);

            default:
                return true; // a Down or exit signal for a monitor or link given up meanwhile: dropped
        }
    }

    private void Relocate(LocationNotice notice)
    {
        foreach (var (monitor, entry) in Tables.Monitors.ToList())
        {
            if (entry.Target == notice.Process && entry.Generation < notice.Generation)
            {
                Tables.Monitors[monitor] = entry with { Node = notice.Node, Generation = notice.Generation };
            }
        }

        if (Tables.Links.TryGetValue(notice.Process, out var link) && link.Generation < notice.Generation)
        {
            Tables.Links[notice.Process] = link with { Node = notice.Node, Generation = notice.Generation };
        }
    }

    /// <summary>
    /// Runs <c>OnDown</c> for each Down and <c>OnExit</c> for each exit signal (when the process traps exits; otherwise an
    /// abnormal exit stops it), then performs what those hooks asked for.
    /// </summary>
    private async ValueTask<bool> DeliverAsync(Envelope envelope, Down[] downs, ExitSignal[] exits)
    {
        if (!Instance.TrapsExits && exits.FirstOrDefault(signal => signal.Reason != ExitReason.Normal) is { } fatal)
        {
            MonitoringLog.StoppedByLink(_host.Logger, Self, fatal.From, fatal.Reason);
            Terminate(stopReply: null, runStoppingHook: true, new ExitInfo(
                fatal.Reason, fatal.ErrorType, $"linked process {fatal.From} exited ({fatal.Reason}){(fatal.ErrorMessage is { } text ? ": " + text : string.Empty)}"));
            return false;
        }

        var timersBefore = BeginStateMachineEvent(); // to a state machine, a Down or an exit signal is an event
        var hooksSucceeded = true;
        _inHandler = true;
        _inSignal = true;
        try
        {
            foreach (var down in downs)
            {
                hooksSucceeded &= RunHook("OnDown", () => Instance.OnDown(down));
            }

            if (Instance.TrapsExits)
            {
                foreach (var exit in exits)
                {
                    hooksSucceeded &= RunHook("OnExit", () => Instance.OnExit(exit));
                }
            }
        }
        finally
        {
            _inSignal = false;
            _inHandler = false;
        }

        if (_machine is not null)
        {
            CompleteTransition(call: null, apply: hooksSucceeded, timersBefore); // an enter callback's failure is logged there
        }

        var (keepRunning, _) = await PerformAskedActionsAsync(envelope).ConfigureAwait(false);
        return keepRunning;
    }

    /// <returns>False if the hook threw (or did not run because an earlier one crashed the process).</returns>
    private bool RunHook(string name, Action hook)
    {
        if (_crashing)
        {
            return false; // an earlier hook threw and the process stops on unhandled exceptions: nothing more runs
        }

        try
        {
            hook();
            return true;
        }
        catch (Exception exception)
        {
            if (!CrashOn(call: null, name, exception))
            {
                MonitoringLog.HookFailed(_host.Logger, Self, name, exception);
            }

            return false;
        }
    }

    private Down ToDown(MonitorRef monitor, MonitorEntry entry, ExitInfo exit) =>
        new(monitor, RefTo(entry.Target, entry.TypeId, entry.Node), exit.Reason, exit.ErrorType, exit.ErrorMessage);

    private ProcessRef RefTo(Guid id, string typeId, string node) => _host.RefTo(ProcessId.FromGuid(id), typeId, node, Id);

    private async Task RequestMonitorAsync(ProcessRef target, MonitorRef monitor)
    {
        var (location, failure) = await RequestAsync(target, new MonitorRequest(monitor, Id.ToGuid(), Type.TypeId, _host.NodeName)).ConfigureAwait(false);
        PostQuietly(Self, location is not null
            ? new LocationNotice(target.Id.ToGuid(), location.Node, location.Generation)
            : new DownSignal(monitor, target.Id.ToGuid(), target.TypeId, failure));
    }

    private async Task RequestLinkAsync(ProcessRef other)
    {
        var (location, failure) = await RequestAsync(other, new LinkRequest(new LinkEntry(Id.ToGuid(), Type.TypeId, _host.NodeName, _generation)))
            .ConfigureAwait(false);
        PostQuietly(Self, location is not null
            ? new LocationNotice(other.Id.ToGuid(), location.Node, location.Generation)
            : new ExitMessage(other.Id.ToGuid(), other.TypeId, failure));
    }

    /// <summary>Sends a monitor or link request: the target's location once it answered, or why it cannot be watched.</summary>
    internal static async Task<(ProcessLocation? Location, ExitInfo Failure)> RequestAsync(
        ProcessRef target, SystemMessage<ProcessLocation> request, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await SystemCalls.SendAsync(target, request, cancellationToken).ConfigureAwait(false), default);
        }
        catch (ProcessStoppedException exception) when (exception.Reason == ProcessStopReason.NodeLost)
        {
            return (null, new ExitInfo(ExitReason.NoConnection, null, exception.Message));
        }
        catch (ProcessStoppedException)
        {
            return (null, ExitInfo.NoProcess);
        }
        catch (Exception exception) when (exception is ProcessUnreachableException or IOException or InvalidDataException)
        {
            return (null, new ExitInfo(ExitReason.NoConnection, null, exception.Message));
        }
    }

    private void PostQuietly(ProcessRef target, ProcessMessage message)
    {
        try
        {
            _host.Router.Post(target, new Envelope(message));
        }
        catch (ProcessStoppedException)
        {
            // Nobody is left to tell.
        }
    }

    /// <summary>Who watches the process, whom it watches, and whom it is linked to (keyed by the other process).</summary>
    private sealed class MonitoringTables
    {
        public Dictionary<MonitorRef, WatcherEntry> Watchers { get; } = [];

        public Dictionary<MonitorRef, MonitorEntry> Monitors { get; } = [];

        public Dictionary<Guid, LinkEntry> Links { get; } = [];
    }
}
