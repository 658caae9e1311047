using Mobility.Registry;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;
using Mobility.Transport.Faults;

namespace Mobility.Tests.Cluster;

/// <summary>
/// When membership changes, each node tells the new owners of its directory entries where its processes live. Each
/// entry on its own: an owner that does not answer holds back only its own entries, and those are tried again.
/// </summary>
public sealed class RehomingTests
{
    [Fact]
    public async Task Entries_whose_new_owner_did_not_answer_are_re_homed_once_it_does()
    {
        var faults = new FaultInjector();
        await using var cluster = await TestCluster.StartAsync(3, options =>
        {
            options.Faults = faults;
            options.MigrationTimeout = TimeSpan.FromMilliseconds(300); // how long a directory request waits
            options.FailureDetectionTimeout = TimeSpan.FromSeconds(30); // the partition below is no failure
        });
        var (a, b, c) = (cluster[0].Node, cluster[1].Node, cluster[2].Node);

        // Processes on a whose entries c owns now and b will own once c is gone: at least two, so that re-homing the
        // second does not depend on the first.
        var rehomedToB = new List<ProcessId>();
        for (var spawned = 0; rehomedToB.Count < 2 && spawned < 500; spawned++)
        {
            var id = (await a.SpawnAsync<Counter>()).Id;
            var key = ClusterDirectory.LocationKey(id);
            if (RendezvousHash.OwnerOf(key, ["a", "b", "c"]) == "c" && RendezvousHash.OwnerOf(key, ["a", "b"]) == "b")
            {
                rehomedToB.Add(id);
            }
        }

        Assert.Equal(2, rehomedToB.Count);
        faults.Link("a", "b").Blackhole(); // b hears nothing from a: a's requests to b go unanswered
        await c.StopAsync();               // c's entries need new owners
        await Wait.UntilAsync(
            () => cluster[0].Logs.Entries.Any(entry => entry.Message.Contains("re-home", StringComparison.Ordinal) || entry.Message.Contains("retries", StringComparison.Ordinal)),
            "a's first request to b went unanswered"); // (logged by the re-homing, whatever it then does)

        faults.Heal("a", "b");

        foreach (var id in rehomedToB)
        {
            await Wait.UntilAsync(async () => await b.LocateQuietlyAsync(id) == "a", $"b records where {id} lives");
        }
    }
}
