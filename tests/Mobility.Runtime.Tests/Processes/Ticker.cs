using Mobility.Tests.Support;

namespace Mobility.Tests.Processes;

/// <summary>A process with a timer, to see timers travel.</summary>
[MobileProcess]
public partial class Ticker
{
    private readonly List<string> _ticks = new();
    private long _dueUtcTicks;

    [Transient]
    private readonly Journal _journal;

    [Transient]
    private readonly MobilityNode _node;

    public Ticker(Journal journal, MobilityNode node)
    {
        _journal = journal;
        _node = node;
    }

    [Call]
    public long Arm(int milliseconds, string label)
    {
        _dueUtcTicks = DateTimeOffset.UtcNow.AddMilliseconds(milliseconds).UtcTicks;
        SendAfter(TimeSpan.FromMilliseconds(milliseconds), self => self.Tick(label));
        return _dueUtcTicks;
    }

    [Call]
    public bool ArmAndCancel(int milliseconds) => CancelTimer(SendAfter(TimeSpan.FromMilliseconds(milliseconds), self => self.Tick("cancelled")));

    [Cast]
    public void Tick(string label)
    {
        _ticks.Add(label);
        _journal.Write($"tick {label} on {_node.Name} at {DateTimeOffset.UtcNow.UtcTicks} due {_dueUtcTicks}");
    }

    [Call]
    public List<string> Ticks() => [.. _ticks];

    [Call]
    public string Where() => _node.Name;
}
