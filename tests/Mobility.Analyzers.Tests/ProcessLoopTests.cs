using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0030–MOB0035: a process's members used outside its own loop, blocking calls, awaiting Self.</summary>
public sealed class ProcessLoopTests
{
    private static Task VerifyAsync(string source) => Verifier.AnalyzerAsync<ProcessLoopAnalyzer>(source);

    [Fact]
    public Task MOB0030_process_side_members_in_background_callbacks() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void A() => Task.Run(() => {|MOB0030:SendMe|}(Destination.Node("b")));
            [Call] public void B() => ThreadPool.QueueUserWorkItem(_ => {|MOB0030:Register|}("name"));
            [Call] public void C() => new Thread(() => {|MOB0030:Stop|}()).Start();
            [Call] public void D() => _ = new Timer(_ => this.{|MOB0030:Stop|}(), null, 10, Timeout.Infinite);
            [Call] public Task E() => Task.Delay(10).ContinueWith(_ => {|MOB0030:Stop|}());
            [Call] public void F() => Parallel.For(0, 2, _ => {|MOB0030:Stop|}());
            [Call] public Task G() => Task.Factory.StartNew(() => {|MOB0030:Stop|}());
            [Call] public void H()
            {
                var timer = new System.Timers.Timer(10);
                timer.Elapsed += (_, _) => {|MOB0030:Stop|}();
            }
        }
        """);

    [Fact]
    public Task MOB0030_timer_members_in_background_callbacks_but_not_in_handlers() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Ticker
        {
            [Cast] public void Tick() { }
            [Call] public void Arm() => SendAfter(TimeSpan.FromSeconds(1), self => self.Tick());
            [Call] public bool Disarm(TimerId timer) => CancelTimer(timer);
            [Call] public void Late() => Task.Run(() => {|MOB0030:SendAfter|}(TimeSpan.FromSeconds(1), self => self.Tick()));
            [Call] public void Later(TimerId timer) => Task.Run(() => {|MOB0030:CancelTimer|}(timer));
        }
        """);

    [Fact]
    public Task MOB0030_state_machine_transitions_and_timeouts_in_background_callbacks_but_not_in_handlers() => VerifyAsync("""
        using Mobility;
        public enum Door { Locked, Open }
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast] public void Relock() => NextState(Door.Locked);
            [Call] public void Open() { NextState(Door.Open); SetStateTimeout(TimeSpan.FromSeconds(1), self => self.Relock()); }
            [Call] public void Late() => Task.Run(() => {|MOB0030:NextState|}(Door.Open));
            [Call] public void Later() => Task.Run(() => {|MOB0030:SetTimeout|}("t", TimeSpan.FromSeconds(1), self => self.Relock()));
            [Call] public void Latest() => Task.Run(() => {|MOB0030:Postpone|}());
        }
        """);

    [Fact]
    public Task MOB0030_in_async_void_constructor_static_member_and_other_instance() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public Counter() => Console.WriteLine({|MOB0030:Self|});
            [Cast] public async void A() { await Task.Yield(); {|MOB0030:Stop|}(); }
            [Call] public void B(Counter other) => other.{|MOB0030:Stop|}();
            public static void C(Counter counter) => counter.{|MOB0030:Register|}("name");
            [Cast] public void D() { Action later = async () => { await Task.Yield(); {|MOB0030:Stop|}(); }; later(); }
        }
        """);

    [Fact]
    public Task MOB0030_not_in_handlers_hooks_helpers_or_for_Self_in_callbacks() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void Leave(string node) => SendMe(Destination.Node(node));
            [Call] public async Task Claim(string name) { await Task.Yield(); Register(name); }
            [Call] public void Quit() => Helper();
            [Call] public int Count(List<int> items) => items.Where(item => item > 0).Select(_ => { Stop(); return 1; }).Sum();
            [Cast] public void Tick() { }
            [Cast] public void Later() => Task.Run(async () => { await Task.Delay(10); Self.Tick(); });
            partial void OnStarted() => Console.WriteLine(Self);
            private void Helper() => Stop();
        }
        """);

    [Fact]
    public Task MOB0031_state_written_in_callbacks_async_void_and_static_members() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _count;
            public string Label { get; set; } = "";
            [Cast] public void A() => Task.Run(() => {|MOB0031:_count|}++);
            [Cast] public void B() => ThreadPool.QueueUserWorkItem(_ => {|MOB0031:Label|} = "x");
            [Cast] public async void C() { await Task.Yield(); {|MOB0031:_count|} = 2; }
            public static void D(Counter counter) => counter.{|MOB0031:_count|} += 1;
            [Call] public int E(Counter other) { other.{|MOB0031:_count|} = 1; return _count; }
        }
        """);

    [Fact]
    public Task MOB0031_not_for_handlers_constructor_transient_or_reads() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _count;
            [Transient] private int _hits;
            public Counter() => _count = 1;
            [Cast] public void A() { _count++; Task.Run(() => _hits++); }
            [Cast] public void B() => Task.Run(() => Console.WriteLine(_count));
            [Cast] public async Task C() { await Task.Yield(); _count = 2; }
        }
        """);

    [Fact]
    public Task MOB0032_process_members_after_ConfigureAwait_false() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _count;
            [Call] public async Task<int> A()
            {
                _count++;
                await Task.Delay(1).ConfigureAwait(false);
                {|MOB0032:_count|}++;
                {|MOB0032:Stop|}();
                return {|MOB0032:_count|};
            }
            [Call] public async Task B(IAsyncEnumerable<int> items)
            {
                await foreach (var item in items.ConfigureAwait(false))
                {
                    {|MOB0032:_count|} += item;
                }
            }
        }
        """);

    [Fact]
    public Task MOB0032_not_before_the_await_or_with_ConfigureAwait_true() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _count;
            [Transient] private int _hits;
            [Call] public async Task<int> A()
            {
                _count++;
                await Task.Delay(1).ConfigureAwait(true);
                _count++;
                var value = _count;
                await Task.Delay(1).ConfigureAwait(false);
                _hits++;
                return value;
            }
            [Call] public async Task B() { await Task.Delay(1); _count++; }
        }
        """);

    [Fact]
    public Task MOB0033_process_used_directly_by_another_type() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            public int Total;
            [Call] public int Increment(int by) => by;
        }
        public class Helper
        {
            private readonly Counter _counter;
            public Helper(Counter counter) => _counter = counter;
            public int Poke() => _counter.{|MOB0033:Increment|}(1) + _counter.{|MOB0033:Total|};
        }
        """);

    [Fact]
    public Task MOB0033_not_through_a_ProcessRef_or_inside_the_process() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            private int _count;
            [Call] public int Increment(int by) => _count += by;
            [Call] public int Merge(Counter other) => _count + other._count;
            public sealed class Nested { public int Read(Counter counter) => counter._count; }
        }
        public class Helper
        {
            public async Task<int> Poke(ProcessRef<Counter> counter) => await counter.IncrementAsync(1);
            public string Name(Counter counter) => nameof(counter.Increment) + counter.ToString();
        }
        """);

    [Fact]
    public Task MOB0034_blocking_calls_in_handlers_and_hooks() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public void A() => Thread.{|MOB0034:Sleep|}(10);
            [Call] public int B(ProcessRef<Counter> other) => other.ZAsync().AsTask().{|MOB0034:Result|};
            [Call] public void C() => Task.Delay(10).{|MOB0034:Wait|}();
            [Call] public void D() => Task.Delay(10).GetAwaiter().{|MOB0034:GetResult|}();
            [Call] public void E() => Task.{|MOB0034:WaitAll|}(Task.Delay(1), Task.Delay(2));
            [Call] public int Z() => 0;
            partial void OnStarted() => Thread.{|MOB0034:Sleep|}(1);
        }
        """);

    [Fact]
    public Task MOB0034_not_after_an_await_in_callbacks_or_outside_handlers() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public async Task<int> A()
            {
                var pending = Task.FromResult(1);
                await pending;
                return pending.Result;
            }
            [Cast] public void B() => Task.Run(() => Thread.Sleep(10));
            private void Helper() => Thread.Sleep(1);
        }
        public class Elsewhere { public void Wait() => Task.Delay(1).Wait(); }
        """);

    [Fact]
    public Task MOB0035_awaiting_a_call_to_Self() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public int Get() => 0;
            [Call] public async Task<int> A() => {|MOB0035:await Self.GetAsync()|};
            [Call] public async Task B() => {|MOB0035:await this.Self.RegisterAsync("me").ConfigureAwait(true)|};
        }
        """);

    [Fact]
    public Task MOB0035_not_for_casts_to_Self_calls_to_others_or_background_work() => VerifyAsync("""
        using Mobility;
        [MobileProcess] public partial class Counter
        {
            [Call] public int Get() => 0;
            [Cast] public void Tick() { }
            [Call] public async Task<int> A(ProcessRef<Counter> other) { Self.Tick(); return await other.GetAsync(); }
            [Cast] public void B() => Task.Run(async () => await Self.GetAsync());
        }
        """);
}
