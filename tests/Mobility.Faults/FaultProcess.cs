using System.Globalization;
using System.Text;

namespace Mobility.Faults;

/// <summary>
/// The campaign's test process. Its state is the numbers it handled, per sender (they travel with it); every
/// activation (<c>OnStarted</c>, <c>OnArrived</c>) draws a fresh random copy id, so the history can tell two live copies
/// of one process apart. Each activation and each handled operation is reported to the campaign, stamped on the
/// machine's monotonic clock, before the handler returns (so before any reply leaves).
/// </summary>
[MobileProcess]
public partial class FaultProcess
{
    private readonly Dictionary<string, List<long>> _handled = new();

    [Transient]
    private readonly NodeReporter _reporter;

    [Transient]
    private string _copy = "";

    /// <summary>Created through DI on spawn and after every arrival.</summary>
    public FaultProcess(NodeReporter reporter) => _reporter = reporter;

    /// <summary>Handles call number <paramref name="n"/> of <paramref name="sender"/>; returns "COPY NODE", who handled it.</summary>
    [Call]
    public string Handle(string sender, long n)
    {
        Record(sender, n, "call");
        return $"{_copy} {_reporter.Node}";
    }

    /// <summary>Handles cast number <paramref name="n"/> of <paramref name="sender"/>.</summary>
    [Cast]
    public void Note(string sender, long n) => Record(sender, n, "cast");

    /// <summary>"COPY NODE SENDER=N,N,...;SENDER=..." (or "-" for no numbers): the state, for the final check.</summary>
    [Call]
    public string Dump()
    {
        var state = new StringBuilder();
        foreach (var (sender, numbers) in _handled.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            state.Append(state.Length == 0 ? "" : ";").Append(sender).Append('=').AppendJoin(',', numbers);
        }

        return $"{_copy} {_reporter.Node} {(state.Length == 0 ? "-" : state.ToString())}";
    }

    /// <summary>This activation's copy id (read by the node's copy report).</summary>
    internal string Copy => _copy;

    partial void OnStarted() => Activate("start");

    partial void OnArrived(MigrationInfo info) => Activate("arrive");

    partial void OnLeaving(MigrationInfo info) => _reporter.Event($"leave {Self.Id} {_copy}");

    private void Activate(string how)
    {
        _copy = Guid.NewGuid().ToString("N")[..12];
        _reporter.Event($"act {Self.Id} {_copy} {_reporter.Node} {how}");
    }

    private void Record(string sender, long n, string kind)
    {
        if (!_handled.TryGetValue(sender, out var numbers))
        {
            _handled[sender] = numbers = [];
        }

        numbers.Add(n);
        _reporter.Event(string.Create(CultureInfo.InvariantCulture, $"h {Self.Id} {_copy} {_reporter.Node} {sender} {kind} {n}"));
    }
}
