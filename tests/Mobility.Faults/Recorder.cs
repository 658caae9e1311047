using System.Diagnostics;
using System.Globalization;

namespace Mobility.Faults;

/// <summary>
/// Records a run's history as it happens, from every thread: operations begun and completed, the events the nodes
/// report, the nemeses' node faults. Times are offsets from <see cref="Epoch"/> on the machine's monotonic clock.
/// </summary>
internal sealed class Recorder
{
    private readonly Lock _gate = new();
    private readonly List<Operation> _operations = [];
    private readonly List<Activation> _activations = [];
    private readonly List<Handling> _handlings = [];
    private readonly List<NodeFault> _faults = [];
    private readonly Dictionary<string, string> _location = new(StringComparer.Ordinal);
    private long _nextOperation;

    public long Epoch { get; } = Stopwatch.GetTimestamp();

    public TimeSpan Now => Stopwatch.GetElapsedTime(Epoch);

    public TimeSpan At(long timestamp) => timestamp == 0 ? Now : Stopwatch.GetElapsedTime(Epoch, timestamp);

    /// <summary>Where the last activation of <paramref name="process"/> happened, as far as the events tell.</summary>
    public string? LocationOf(string process)
    {
        lock (_gate)
        {
            return _location.GetValueOrDefault(process);
        }
    }

    public Operation Begin(OpKind kind, string sender, string senderNode, string process, long n, string? destination = null)
    {
        lock (_gate)
        {
            var op = new Operation(++_nextOperation, kind, sender, senderNode, process, n, destination, Now);
            _operations.Add(op);
            return op;
        }
    }

    /// <summary>Completes <paramref name="op"/> with the node's answer (its start and end as the node saw them).</summary>
    public void Complete(Operation op, Reply reply)
    {
        lock (_gate)
        {
            var outcome = reply.Status switch
            {
                "ok" => Outcome.Ok,
                "fail" => Outcome.Fail,
                _ => Outcome.Unknown,
            };
            var start = At(reply.Start);
            // The node's own stamps are tighter than ours (they leave out the time in the pipes, or a pause of the node) and as sound.
            op.Outcome = outcome;
            op.End = At(reply.End);
            if (start > op.Start && start <= op.End)
            {
                StartOf[op.Id] = start;
            }

            if (outcome == Outcome.Ok && op.Kind == OpKind.Call && reply.Text.Split(' ') is [var copy, var node])
            {
                op.Copy = copy;
                op.Node = node;
            }
            else if (outcome != Outcome.Ok)
            {
                op.Error = reply.Text;
            }
        }
    }

    /// <summary>The node-side start of operations the node answered (later than the campaign's own stamp).</summary>
    private Dictionary<long, TimeSpan> StartOf { get; } = [];

    public void Fault(NodeFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>Ends the pause of <paramref name="node"/> that began at <paramref name="at"/>.</summary>
    public void Resumed(string node, TimeSpan at)
    {
        lock (_gate)
        {
            var index = _faults.FindLastIndex(f => f.Kind == NodeFaultKind.Pause && f.Node == node && f.Until is null);
            if (index >= 0)
            {
                _faults[index] = _faults[index] with { Until = at };
            }
        }
    }

    /// <summary>Parses one <c>E TIMESTAMP ...</c> line of a node (see <see cref="FaultProcess"/>).</summary>
    public void OnEvent(string line)
    {
        var words = line.Split(' ');
        if (words.Length < 3 || !long.TryParse(words[1], CultureInfo.InvariantCulture, out var stamp))
        {
            return;
        }

        var at = At(stamp);
        lock (_gate)
        {
            switch (words[2..])
            {
                case ["act", var process, var copy, var node, var how]:
                    _activations.Add(new Activation(at, process, copy, node, how == "arrive"));
                    _location[process] = node;
                    break;
                case ["h", var process, var copy, var node, var sender, var kind, var n]:
                    _handlings.Add(new Handling(at, process, copy, node, sender, kind == "call" ? OpKind.Call : OpKind.Cast, long.Parse(n, CultureInfo.InvariantCulture)));
                    break;
            }
        }
    }

    public IReadOnlyList<Operation> Operations
    {
        get
        {
            lock (_gate)
            {
                return [.. _operations];
            }
        }
    }

    public IReadOnlyList<NodeFault> Faults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults];
            }
        }
    }

    public History ToHistory(IReadOnlyList<string> processes, IReadOnlyList<FinalCopy> final, IReadOnlyList<string> aliveAtEnd, TimeSpan deadline, Timings timings)
    {
        lock (_gate)
        {
            var operations = _operations
                .Select(op => StartOf.TryGetValue(op.Id, out var start)
                    ? new Operation(op.Id, op.Kind, op.Sender, op.SenderNode, op.Process, op.N, op.Destination, start)
                    {
                        Outcome = op.Outcome, End = op.End, Copy = op.Copy, Node = op.Node, Error = op.Error,
                    }
                    : op)
                .ToList();
            return new History(processes, operations, [.. _activations.OrderBy(a => a.At)], [.. _handlings.OrderBy(h => h.At)], [.. _faults], final, aliveAtEnd, deadline, timings);
        }
    }
}
