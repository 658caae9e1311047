using Mobility.Generated;
using Mobility.Processes;
using Mobility.Tests.Processes;

namespace Mobility.Tests;

/// <summary>
/// A call's reply lives beside its message, in its envelope: it is set through the reply, may be held while the
/// handler's asked actions run, and its started/withdrawn state is the call's own.
/// </summary>
public sealed class CallReplyTests
{
    private static readonly ProcessRef<Counter> Target = new(ProcessId.New(), "nowhere", new NoRouter());

    [Fact]
    public async Task A_held_result_reaches_the_caller_only_when_released()
    {
        var call = Awaited<int>();
        call.HoldReply();
        call.SetResult(3);
        Assert.False(call.IsCompleted);

        call.ReleaseReply();

        Assert.Equal(3, await call.AsValueTask());
    }

    [Fact]
    public async Task A_discarded_held_result_is_forgotten_and_the_next_one_is_the_answer()
    {
        var call = Awaited<int>();
        call.HoldReply();
        call.SetResult(1); // a state machine postponed the call: its handler will run again
        call.DiscardReply();
        call.ReleaseReply();
        Assert.False(call.IsCompleted);

        call.SetResult(2);

        Assert.Equal(2, await call.AsValueTask());
    }

    [Fact]
    public void A_call_withdrawn_before_it_started_does_not_start_nor_leave()
    {
        var call = Awaited<int>();
        Assert.True(call.TryWithdraw());

        Assert.False(new Envelope(new Ask(), call).TryStart());
        Assert.False(call.TryMarkSent());
    }

    [Fact]
    public void A_call_that_left_this_node_can_no_longer_be_withdrawn()
    {
        var call = Awaited<int>();
        Assert.True(call.TryMarkSent());

        Assert.False(call.TryWithdraw());
    }

    [Fact]
    public void A_cast_has_no_reply_and_always_starts()
    {
        var cast = new Envelope(new Tell());

        Assert.Null(cast.Reply);
        Assert.True(cast.TryStart());
        Assert.True(cast.TryStart());
    }

    [Fact]
    public void Dispatch_without_a_reply_sets_results_nowhere_and_a_reply_of_another_type_is_a_bug_caught_at_once()
    {
        CallReply<int>.Of(null).SetResult(5); // nobody awaits: nothing happens

        Assert.Throws<InvalidCastException>(() => CallReply<int>.Of(Awaited<string>()));
    }

    private static AwaitedCall<T> Awaited<T>() =>
        new(Target, new Ask(), Timeout.InfiniteTimeSpan, CancellationToken.None);

    private sealed class Ask : CallMessage<int>
    {
        public override int HandlerId => 1;

        public override string HandlerName => "Ask";

        public override void WriteArguments<TBufferWriter>(ref MemoryPack.MemoryPackWriter<TBufferWriter> writer)
        {
        }
    }

    private sealed class Tell : CastMessage
    {
        public override int HandlerId => 2;

        public override string HandlerName => "Tell";

        public override void WriteArguments<TBufferWriter>(ref MemoryPack.MemoryPackWriter<TBufferWriter> writer)
        {
        }
    }

    private sealed class NoRouter : IProcessRouter
    {
        public string NodeName => "nowhere";

        public TimeSpan DefaultCallTimeout => Timeout.InfiniteTimeSpan;

        public TimeSpan MigrationTimeout => Timeout.InfiniteTimeSpan;

        public void Post(ProcessRef target, Envelope envelope) => throw new InvalidOperationException("nothing is sent in these tests");

        public void Withdraw(CallReply reply)
        {
        }
    }
}
