using Microsoft.Extensions.Logging;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.StateMachines;

public sealed class StateMachineTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async ValueTask InitializeAsync() => _node = await TestNode.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_spawned_state_machine_starts_in_its_initial_state_and_enters_it()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        Assert.Equal("Locked", await door.StatusAsync());
        Assert.Equal(["enter Locked from Locked"], await door.LogAsync());
    }

    [Fact]
    public async Task One_event_runs_the_handler_of_the_current_state()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        door.Button('1');
        door.Button('2');
        door.Button('3');
        door.Button('4');

        Assert.Equal("Open", await door.StatusAsync());
        Assert.Equal(["enter Locked from Locked", "enter Open from Locked", "button 4 ignored while Open"], await door.LogAsync());
    }

    [Fact]
    public async Task A_handler_without_When_serves_the_states_its_event_has_no_handler_for()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        Assert.Equal("nobody answers (Locked)", await door.KnockAsync());
        await door.UnlockAsync("123");
        Assert.Equal("come in", await door.KnockAsync());
        Assert.Equal("Open", await door.StatusAsync());
    }

    [Fact]
    public async Task A_call_no_handler_serves_in_the_current_state_fails_and_the_machine_keeps_its_state()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        var failure = await Assert.ThrowsAsync<UnhandledEventException>(() => door.PushAsync().AsTask());

        Assert.Equal("Door is in state Locked and has no handler for Push", failure.Message[..failure.Message.IndexOf('.', StringComparison.Ordinal)]);
        Assert.Equal("Locked", await door.StatusAsync());
    }

    [Fact]
    public async Task A_cast_no_handler_serves_in_the_current_state_is_logged_and_dropped()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.UnlockAsync("123");
        await Assert.ThrowsAsync<InvalidOperationException>(() => door.JamAsync().AsTask()); // jammed all the same

        door.Deliver("lost"); // Deliver is served while Locked or Open only
        await door.RepairAsync();

        Assert.Contains(_node.Logs.Entries, entry => entry.Level == LogLevel.Warning
            && entry.Message.Contains("Door is in state Jammed and has no handler for Deliver", StringComparison.Ordinal));
        Assert.Equal("Locked", await door.StatusAsync());
        Assert.DoesNotContain("parcel lost", await door.LogAsync());
    }

    [Fact]
    public async Task Transitions_happen_after_the_handler_and_its_reply_is_sent()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        Assert.False(await door.UnlockAsync("999"));
        Assert.Equal("Locked", await door.StatusAsync());
        Assert.True(await door.UnlockAsync("123"));
        Assert.Equal("Open", await door.StatusAsync());
        await door.LockAsync();
        Assert.Equal("Locked", await door.StatusAsync());
        Assert.Equal(["enter Locked from Locked", "enter Open from Locked", "enter Locked from Open"], await door.LogAsync());
    }

    [Fact]
    public async Task Postponed_calls_and_casts_are_handled_in_order_after_the_next_state_change_before_later_messages()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        door.Button('1');
        var ann = door.EnterAsync("ann").AsTask();
        door.Slide("first");
        var bob = door.EnterAsync("bob").AsTask();
        door.Slide("second");
        door.Button('2');
        door.Button('3'); // opens: everything postponed goes first, in order
        door.Note("after the code");

        Assert.Equal("ann is in", await ann.WithDeadline());
        Assert.Equal("bob is in", await bob.WithDeadline());
        Assert.Equal(
            ["enter Locked from Locked", "enter Open from Locked", "ann came in", "read first", "bob came in", "read second", "note after the code"],
            await door.LogAsync());
    }

    [Fact]
    public async Task A_transition_to_the_same_state_is_no_change_and_postponed_events_stay_postponed()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        door.Slide("waiting");

        await door.StayPutAsync();
        door.Note("still locked");
        await door.UnlockAsync("123");

        Assert.Equal(["enter Locked from Locked", "note still locked", "enter Open from Locked", "read waiting"], await door.LogAsync());
    }

    [Fact]
    public async Task A_postponed_call_still_times_out_for_its_caller_and_is_not_handled_afterwards()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        await Assert.ThrowsAsync<TimeoutException>(() => door.WithCallTimeout(TimeSpan.FromMilliseconds(100)).EnterAsync("late").AsTask());
        await door.UnlockAsync("123");

        Assert.DoesNotContain("late came in", await door.LogAsync());
    }

    [Fact]
    public async Task An_enter_callback_that_asks_for_a_transition_fails_the_call_that_caused_it()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.UnlockAsync("123");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => door.JamAsync().AsTask());

        Assert.Contains("[StateEnter]", failure.Message, StringComparison.Ordinal);
        Assert.Equal("Jammed", await door.StatusAsync());
    }

    [Fact]
    public async Task The_event_timeout_fires_when_no_event_comes()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        await door.HoldOpenAsync(50);

        // Watched through the journal: asking the door would be an event, and cancel the timeout.
        await Wait.UntilAsync(() => _node.Get<Journal>().Entries.Contains("idle in Locked"), "the event timeout fired");
    }

    [Fact]
    public async Task Any_event_cancels_the_event_timeout()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        await door.HoldOpenAsync(300);
        await door.WitnessAsync(500); // an event: cancels it (and arms a later witness)

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("witness"), "the witness fired");
        Assert.DoesNotContain("idle in Locked", await door.LogAsync());
    }

    [Fact]
    public async Task The_state_timeout_fires_in_the_state_that_set_it()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.ConfigureAsync("123", 50);

        await door.UnlockAsync("123");

        await Wait.UntilAsync(async () => await door.StatusAsync() == "Locked", "the door relocked");
        Assert.Equal(["enter Locked from Locked", "enter Open from Locked", "state timeout in Open", "enter Locked from Open"], await door.LogAsync());
    }

    [Fact]
    public async Task A_state_change_cancels_the_state_timeout_and_events_do_not()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.ConfigureAsync("123", 400);
        await door.UnlockAsync("123");
        door.Note("an event while open");
        await door.LockAsync();
        await door.WitnessAsync(600);

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("witness"), "the witness fired");
        Assert.DoesNotContain("state timeout in Locked", await door.LogAsync());

        await door.ConfigureAsync("123", 50);
        await door.UnlockAsync("123");
        door.Note("an event does not cancel it");
        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("state timeout in Open"), "the state timeout fired despite an event");
    }

    [Fact]
    public async Task A_state_timeout_set_by_the_handler_that_changes_the_state_belongs_to_the_new_state()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.UnlockAsync("123");

        await door.LockForAsync(50); // sets the timeout first, then asks for Locked: the order does not matter

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("lock-for timeout"), "the new state's timeout fired");
        Assert.Equal("Locked", await door.StatusAsync());
    }

    [Fact]
    public async Task A_Down_is_an_event_it_cancels_the_event_timeout_and_its_transition_applies_at_once()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        var counter = await _node.Node.SpawnAsync<Counter>();
        await door.WatchAsync(counter);
        await door.UnlockAsync("123");
        await door.WitnessAsync(1_600);
        await door.HoldOpenAsync(1_500); // the last event before the Down

        await counter.StopAsync();

        // Watched through the journal until the witness fired: asking the door would be an event of its own.
        await Wait.UntilAsync(() => _node.Get<Journal>().Entries.Contains("mark witness"), "the witness fired");
        var log = await door.LogAsync();
        Assert.Equal(["down in Open", "enter Locked from Open", "witness"], log.SkipWhile(entry => entry != "down in Open"));
    }

    [Fact]
    public async Task Setting_a_named_timeout_again_replaces_it()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        await door.RingAsync("first", 400);
        await door.RingAsync("second", 50);
        await door.WitnessAsync(600);

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("witness"), "the witness fired");
        Assert.Contains("bell second", await door.LogAsync());
        Assert.DoesNotContain("bell first", await door.LogAsync());
    }

    [Fact]
    public async Task A_named_timeout_can_be_cancelled_once()
    {
        var door = await _node.Node.SpawnAsync<Door>();
        await door.RingAsync("cancelled", 300);

        Assert.True(await door.SilenceAsync());
        Assert.False(await door.SilenceAsync());
        await door.WitnessAsync(500);

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("witness"), "the witness fired");
        Assert.DoesNotContain("bell cancelled", await door.LogAsync());
    }

    [Fact]
    public async Task One_handler_over_state_and_event_transitions_and_postpones_like_per_state_handlers()
    {
        var turnstile = await _node.Node.SpawnAsync<Turnstile>();

        foreach (var happened in new[] { TurnstileEvent.Push, TurnstileEvent.Coin, TurnstileEvent.Coin, TurnstileEvent.Push })
        {
            turnstile.Handle(happened);
        }

        Assert.Equal(["blocked", "unlocked", "passed", "unlocked"], await turnstile.LogAsync()); // the second coin waited for the push
        Assert.Equal("Open", await turnstile.StatusAsync());
    }

    [Fact]
    public async Task Wrong_digits_reset_the_code_entry()
    {
        var door = await _node.Node.SpawnAsync<Door>();

        foreach (var digit in "19123")
        {
            door.Button(digit);
        }

        Assert.Equal("Open", await door.StatusAsync());
        Assert.Contains("wrong code 19", await door.LogAsync());
    }
}
