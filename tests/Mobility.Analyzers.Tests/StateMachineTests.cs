using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0050–MOB0059: state machines, their states, their per-state handlers and enter callbacks.</summary>
public sealed class StateMachineTests
{
    private const string States = "public enum Door { Locked, Open, Broken }";

    private static Task VerifyAsync(string source) => Verifier.AnalyzerAsync<StateMachineAnalyzer>("using Mobility;\n" + States + "\n" + source);

    [Fact]
    public Task MOB0050_state_machine_that_is_not_a_mobile_process() => VerifyAsync("""
        [{|MOB0050:StateMachine(typeof(Door))|}] public partial class Lock { }
        """);

    [Fact]
    public Task MOB0050_not_for_a_mobile_process() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock { }
        """);

    [Fact]
    public Task MOB0051_state_type_that_is_not_an_enum() => VerifyAsync("""
        [MobileProcess, {|MOB0051:StateMachine(typeof(string))|}] public partial class Lock { }
        """);

    [Fact]
    public Task MOB0052_When_and_StateEnter_where_they_cannot_apply() => VerifyAsync("""
        [MobileProcess] public partial class Plain
        {
            [Cast, When(Door.Open)] public void {|MOB0052:Push|}() { }
            [StateEnter] private void {|MOB0052:Entered|}() { }
        }
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [When(Door.Open)] public void {|MOB0052:NotAHandler|}() { }
        }
        """);

    [Fact]
    public Task MOB0052_not_for_handlers_and_enter_callbacks_of_a_state_machine() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast, When(Door.Open)] public void Push() { }
            [StateEnter(Door.Open)] private void Opened() { }
        }
        """);

    [Fact]
    public Task MOB0053_values_that_are_not_states() => VerifyAsync("""
        [MobileProcess, {|MOB0053:StateMachine(typeof(Door), Initial = 2.5)|}] public partial class Lock
        {
            [Cast, {|MOB0053:When(1)|}] public void A() { }
            [Cast, {|MOB0053:When((Door)9)|}] public void B() { }
            [Cast, {|MOB0053:When|}] public void C() { }
            [{|MOB0053:StateEnter(Door.Open, 3)|}] private void Entered() { }
        }
        """);

    [Fact]
    public Task MOB0053_not_for_named_states() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door), Initial = Door.Open)] public partial class Lock
        {
            [Cast, When(Door.Locked, Door.Broken)] public void A() { }
            [StateEnter(Door.Open)] private void Entered() { }
        }
        """);

    [Fact]
    public Task MOB0054_handlers_of_one_event_serving_one_state() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast(Event = "Push"), When(Door.Open)] public void PushOpen() { }
            [Cast(Event = "Push"), When(Door.Locked, Door.Open)] public void {|MOB0054:PushClosed|}() { }
            [Cast(Event = "Kick")] public void KickAny() { }
            [Cast(Event = "Kick")] public void {|MOB0054:KickAgain|}() { }
        }
        """);

    [Fact]
    public Task MOB0054_not_for_disjoint_states_and_one_fallback() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Call(Event = "Push"), When(Door.Open)] public int PushOpen(int force) => force;
            [Call(Event = "Push"), When(Door.Locked)] public async Task<int> PushLocked(int strength) { await Task.Yield(); return 0; }
            [Call(Event = "Push")] public int PushOtherwise(int f, CancellationToken token) => -1;
        }
        """);

    [Fact]
    public Task MOB0055_handlers_of_one_event_that_disagree() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Call(Event = "Push"), When(Door.Open)] public int PushOpen(int force) => force;
            [Call(Event = "Push"), When(Door.Locked)] public int {|MOB0055:PushLocked|}(string force) => 0;
            [Call(Event = "Push"), When(Door.Broken)] public string {|MOB0055:PushBroken|}(int force) => "";
            [Cast(Event = "Pull"), When(Door.Open)] public void PullOpen() { }
            [Call(Event = "Pull"), When(Door.Locked)] public void {|MOB0055:PullLocked|}() { }
        }
        """);

    [Fact]
    public Task MOB0056_enter_callbacks_with_the_wrong_signature() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [StateEnter] private int {|MOB0056:A|}() => 0;
            [StateEnter] private void {|MOB0056:B|}(int previous) { }
            [StateEnter] private static void {|MOB0056:C|}() { }
            [StateEnter] private async void {|MOB0056:D|}() { await Task.Yield(); }
            [Cast, StateEnter] public void {|MOB0056:E|}() { }
            [StateEnter] private void F(Door previous) { }
            [StateEnter] private void G() { }
        }
        """);

    [Fact]
    public Task MOB0057_transitions_in_enter_callbacks() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast, When(Door.Open)] public void Close() => NextState(Door.Locked);
            [StateEnter(Door.Open)] private void Opened() { {|MOB0057:NextState(Door.Broken)|}; {|MOB0057:this.Postpone()|}; SetStateTimeout(TimeSpan.FromSeconds(1), self => self.Close()); }
        }
        """);

    [Fact]
    public Task MOB0062_postpone_in_OnDown_or_OnExit() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast, When(Door.Open)] public void Close() => Postpone();
            partial void OnDown(Down down) { {|MOB0062:Postpone()|}; NextState(Door.Locked); }
            partial void OnExit(ExitSignal exit) { if (State == Door.Open) {|MOB0062:this.Postpone()|}; }
        }
        """);

    [Fact]
    public Task MOB0058_event_names_that_are_not_identifiers() => VerifyAsync("""
        [MobileProcess, StateMachine(typeof(Door))] public partial class Lock
        {
            [Cast(Event = "two words")] public void {|MOB0058:A|}() { }
            [Cast(Event = "__MobilityX")] public void {|MOB0058:B|}() { }
            [Cast(Event = "Fine")] public void C() { }
        }
        """);

    [Fact]
    public Task MOB0059_no_initial_state_and_no_zero_state() => Verifier.AnalyzerAsync<StateMachineAnalyzer>("""
        using Mobility;
        public enum Phase { Idle = 1, Running = 2 }
        [MobileProcess, {|MOB0059:StateMachine(typeof(Phase))|}] public partial class Job { }
        [MobileProcess, StateMachine(typeof(Phase), Initial = Phase.Idle)] public partial class Named { }
        """);
}
