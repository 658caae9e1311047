using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.StateMachines;

public sealed class StateMachineMigrationTests
{
    [Fact]
    public async Task A_state_machine_moved_while_a_state_timeout_is_pending()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var door = await cluster[0].Node.SpawnAsync<Door>();
        await door.ConfigureAsync("123", 1_500);
        await door.UnlockAsync("123"); // Open: relocks 1.5 s from now
        door.Deliver("p1"); // postponed while open

        await door.SendMeAsync(Destination.Node("b"));

        Assert.Equal("b", await door.WhereAsync());
        Assert.Equal("Open", await door.StatusAsync());
        await Wait.UntilAsync(() => cluster[1].Get<Journal>().Entries.Any(entry => entry.StartsWith("relock in Open on b", StringComparison.Ordinal)), "the state timeout fired on b");
        var fired = cluster[1].Get<Journal>().Entries.Single(entry => entry.StartsWith("relock", StringComparison.Ordinal)).Split(' ');
        var (firedAt, due) = (long.Parse(fired[^3]), long.Parse(fired[^1]));
        Assert.InRange(firedAt, due - TimeSpan.FromMilliseconds(5).Ticks, due + TimeSpan.FromSeconds(1).Ticks);
        Assert.DoesNotContain(cluster[0].Get<Journal>().Entries, entry => entry.StartsWith("relock", StringComparison.Ordinal));
        Assert.Equal(
            ["enter Locked from Locked", "enter Open from Locked", "state timeout in Open", "enter Locked from Open", "parcel p1"],
            await door.LogAsync());
    }

    [Fact]
    public async Task Event_and_named_timeouts_pending_at_a_move_fire_at_the_destination()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var door = await cluster[0].Node.SpawnAsync<Door>();
        await door.RingAsync("moved", 1_500); // due after the event timeout: the bell is an event, and would cancel it
        await door.HoldOpenAsync(1_000); // the last event: a move is none, so it does not cancel the event timeout

        await door.SendMeAsync(Destination.Node("b"));

        // Watched through the journals: asking the door would be an event, and cancel the event timeout.
        await Wait.UntilAsync(
            () => cluster[1].Get<Journal>().Entries.Contains("mark bell moved") && cluster[1].Get<Journal>().Entries.Contains("idle in Locked"),
            "both timeouts fired on b");
        Assert.DoesNotContain(cluster[0].Get<Journal>().Entries, entry => entry.StartsWith("mark", StringComparison.Ordinal) || entry.StartsWith("idle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Arriving_after_a_move_is_no_state_change()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var door = await cluster[0].Node.SpawnAsync<Door>();
        door.Slide("kept"); // postponed while locked

        await door.SendMeAsync(Destination.Node("b"));
        door.Note("arrived");
        await door.UnlockAsync("123");

        Assert.Equal(["enter Locked from Locked", "note arrived", "enter Open from Locked", "read kept"], await door.LogAsync());
    }

    [Fact]
    public async Task A_postponed_call_travels_and_its_caller_gets_the_reply_from_the_destination()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var door = await cluster[0].Node.SpawnAsync<Door>();
        await door.RegisterAsync("front door");
        var fromB = (await cluster[1].Node.WhereIsAsync<Door>("front door"))!;
        var ann = door.EnterAsync("ann").AsTask(); // postponed while locked; ann waits on a

        await door.SendMeAsync(Destination.Node("b"));
        Assert.False(ann.IsCompleted);
        await fromB.UnlockAsync("123");

        Assert.Equal("ann is in", await ann.WithDeadline());
        Assert.Equal("b", await door.WhereAsync());
        Assert.Equal(["enter Locked from Locked", "enter Open from Locked", "ann came in"], await door.LogAsync());
    }

    [Fact]
    public async Task A_rolled_back_move_keeps_the_postponed_events_and_the_timeouts()
    {
        await using var node = await TestNode.StartAsync();
        var door = await node.Node.SpawnAsync<Door>();
        await door.ConfigureAsync("123", 300);
        await door.UnlockAsync("123");
        door.Deliver("p2");

        await Assert.ThrowsAsync<MigrationFailedException>(() => door.SendMeAsync(Destination.Node("nowhere")));

        await Wait.UntilAsync(async () => (await door.LogAsync()).Contains("parcel p2"), "the door relocked and took the parcel");
        Assert.Equal("Locked", await door.StatusAsync());
    }
}
