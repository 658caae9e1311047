using Mobility.Registry;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Registry;

/// <summary>
/// Directory entries carry the move epoch that put them there; an owner keeps an entry of a higher epoch, so a late
/// update — a delayed pointer, a re-homing from a copy that no longer runs — never overwrites a newer one.
/// </summary>
public sealed class MoveEpochTests
{
    [Fact]
    public async Task An_owner_keeps_the_entry_of_the_newest_move()
    {
        var directory = new ClusterDirectory("a", membership: null, requests: null, TimeSpan.FromSeconds(1));
        var id = ProcessId.New();

        Assert.True(await directory.SetLocationAsync(id, "b", epoch: 2));
        Assert.False(await directory.SetLocationAsync(id, "a", epoch: 1)); // older: refused
        Assert.Equal("b", await directory.LookupAsync(id));
        Assert.True(await directory.SetLocationAsync(id, "b", epoch: 2));  // the same again (re-homing): kept
        Assert.True(await directory.SetLocationAsync(id, "c", epoch: 3));
        directory.RemoveLocation(id, "b");                                 // a stop reported from where it no longer is
        Assert.Equal("c", await directory.LookupAsync(id));
    }

    [Fact]
    public async Task Each_move_has_a_higher_epoch_and_a_late_older_pointer_is_refused_by_the_owner()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var counter = await a.SpawnAsync<Counter>();

        await counter.SendMeAsync(Destination.Node("b"));
        await counter.SendMeAsync(Destination.Node("c"));

        Assert.Equal(2, cluster[2].Node.Context.Routes.Find(counter.Id)?.Local?.Epoch);
        Assert.False(await b.Context.Directory.SetLocationAsync(counter.Id, "b", epoch: 1)); // b's pointer, arriving late
        Assert.Equal("c", await a.LocateQuietlyAsync(counter.Id));
        Assert.Equal(1, await counter.IncrementAsync(1));
    }
}
