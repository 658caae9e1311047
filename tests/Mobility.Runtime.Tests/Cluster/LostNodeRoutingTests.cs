using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

/// <summary>
/// A node going down makes this node's routes through it <em>unknown</em>, never "stopped": the next message asks the
/// directory, so a process that lives on elsewhere is reached again.
/// </summary>
public sealed class LostNodeRoutingTests
{
    [Fact]
    public async Task A_forwarder_going_down_does_not_cut_a_node_off_from_a_process_that_lives_on()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b, c) = (cluster[0].Node, cluster[1].Node, cluster[2].Node);
        var counter = await a.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);
        await counter.SendMeAsync(Destination.Node("b")); // a forwards to b...
        await counter.SendMeAsync(Destination.Node("c")); // ... and b to c (the request went through b): a has not heard of c
        Assert.Equal(b.Name, a.Context.Routes.Find(counter.Id)?.Node?.Name);

        var downsAtA = new DownLog(cluster[0]);
        var downsAtC = new DownLog(cluster[2]);

        await b.StopAsync();                              // the forwarder goes down
        await downsAtA.WaitForAsync("b");                 // raised once a has dealt with it: its routes through b included
        await downsAtC.WaitForAsync("b");

        // Eventually (once the directory's entries are re-homed) the same reference reaches the process on c.
        var answered = 0;
        await Wait.UntilAsync(
            async () =>
            {
                try
                {
                    answered = await counter.IncrementAsync(1);
                    return true;
                }
                catch (ProcessStoppedException)
                {
                    return false; // reported, but the route stays open: the next call asks again
                }
            },
            "a reaches the process on c");

        Assert.Equal(6, answered);
        Assert.NotNull(c.Context.Routes.Find(counter.Id)?.Local);
    }
}
