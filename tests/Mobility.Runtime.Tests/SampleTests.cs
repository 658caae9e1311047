using Mobility.Tests.Support;

namespace Mobility.Tests;

/// <summary>The samples run to their end, in their own OS processes, and show what they say they show.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task The_door_lock_moved_while_open_relocks_at_the_destination_and_takes_the_postponed_parcel_in()
    {
        var output = await Samples.RunAsync("Mobility.DoorLock");

        Assert.Contains("status: Open on b", output);
        Assert.Contains("[door on b] state timeout: locking", output);
        Assert.Matches(@"locked again [0-9.]+ s after opening \(due after 2 s\): Locked on b, parcels: \[books\]", output);
    }

    [Fact]
    public async Task The_event_manager_moves_with_its_handlers_swaps_one_and_removes_the_one_that_throws()
    {
        var output = await Samples.RunAsync("Mobility.EventManager");

        Assert.Contains("count handler: front door 2 events", output);
        Assert.Contains("count handler: front door 3 events (still counting on b)", output);
        Assert.Contains("swapped 'log' for 'compact-log'; handlers: compact-log, count, alarm", output);
        Assert.Contains("sync notify: 'alarm' threw System.InvalidOperationException and was removed", output);
        Assert.Contains("handlers: compact-log, count; back door 3 events", output);
    }
}
