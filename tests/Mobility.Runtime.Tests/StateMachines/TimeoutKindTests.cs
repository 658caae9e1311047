using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.StateMachines;

/// <summary>The timers under a state machine's timeouts, on a clock that moves only when told.</summary>
public sealed class TimeoutKindTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<ProcessMessage> _delivered = [];
    private readonly ProcessTimers _timers;

    public TimeoutKindTests() => _timers = new ProcessTimers(_time, message =>
    {
        _delivered.Add(message);
        return true;
    });

    [Theory]
    [InlineData(TimeoutKind.Event, null)]
    [InlineData(TimeoutKind.State, null)]
    [InlineData(TimeoutKind.Named, "bell")]
    public void Setting_a_timeout_replaces_the_pending_one_of_its_kind(TimeoutKind kind, string? name)
    {
        var first = new Tick("first");
        var second = new Tick("second");
        var plain = new Tick("plain");
        _timers.Add(_time.GetUtcNow().AddSeconds(1), first, kind, name);
        _timers.Add(_time.GetUtcNow().AddSeconds(1), plain);
        _timers.Add(_time.GetUtcNow().AddSeconds(2), second, kind, name);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([plain, second], _delivered);
    }

    [Fact]
    public void Named_timeouts_of_different_names_are_independent()
    {
        var bell = new Tick("bell");
        var alarm = new Tick("alarm");
        _timers.Add(_time.GetUtcNow().AddSeconds(1), bell, TimeoutKind.Named, "bell");
        _timers.Add(_time.GetUtcNow().AddSeconds(1), alarm, TimeoutKind.Named, "alarm");

        Assert.True(_timers.Cancel(TimeoutKind.Named, "alarm"));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([bell], _delivered);
    }

    [Fact]
    public void A_timeout_cancelled_after_it_fired_but_before_it_was_handled_is_dropped()
    {
        var relock = new Tick("relock");
        _timers.Add(_time.GetUtcNow().AddSeconds(1), relock, TimeoutKind.State, null);
        _time.Advance(TimeSpan.FromSeconds(1)); // in the mailbox now

        Assert.True(_timers.Cancel(TimeoutKind.State, null)); // a state change came first

        Assert.True(_timers.IsStale(relock));
        Assert.False(_timers.Fired(relock));
        Assert.False(_timers.IsStale(relock));
    }

    [Fact]
    public void A_timeout_handled_normally_is_no_longer_pending()
    {
        var idle = new Tick("idle");
        _timers.Add(_time.GetUtcNow().AddSeconds(1), idle, TimeoutKind.Event, null);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(_timers.Fired(idle));

        Assert.False(_timers.Cancel(TimeoutKind.Event, null));
    }

    [Fact]
    public void Paused_timeouts_keep_their_kind_name_and_due_time_and_are_armed_again_elsewhere()
    {
        var due = _time.GetUtcNow().AddSeconds(5);
        var bell = new Tick("bell");
        _timers.Add(due, bell, TimeoutKind.Named, "bell");

        var paused = Assert.Single(_timers.Pause());

        Assert.Equal(new PendingTimer(1, due, bell, TimeoutKind.Named, "bell"), paused);
        var destination = new ProcessTimers(_time, message =>
        {
            _delivered.Add(message);
            return true;
        });
        destination.Arm(paused);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(_delivered);
        Assert.True(destination.Cancel(TimeoutKind.Named, "bell"));
    }

    private sealed class Tick(string label) : CastMessage
    {
        public override int HandlerId => 1;

        public override string HandlerName => label;

        public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        {
        }
    }
}
