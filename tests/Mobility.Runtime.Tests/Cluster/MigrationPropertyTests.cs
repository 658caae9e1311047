using CsCheck;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class MigrationPropertyTests
{
    /// <summary>
    /// Senders on all three nodes send numbered casts and calls to one process while it moves between the
    /// nodes at random. Afterwards every sender's numbers were handled exactly once, in send order.
    /// </summary>
    [Fact]
    public Task Every_message_is_handled_exactly_once_and_in_send_order_however_the_process_moves() =>
        Gen.Select(Gen.Int[1, 2], Gen.Bool.Array[20, 80], Gen.Int[0, 2].Array[1, 10]).SampleAsync(
            async (sendersPerNode, castOrCall, hops) =>
            {
                await using var cluster = await TestCluster.StartAsync(3);
                var spawned = await cluster[0].Node.SpawnAsync<Recorder>();
                await spawned.RegisterAsync("target");
                var refs = new List<ProcessRef<Recorder>>();
                foreach (var node in cluster.Nodes)
                {
                    refs.Add((await node.Node.WhereIsAsync<Recorder>("target"))!);
                }

                var senders = Enumerable.Range(0, 3 * sendersPerNode).Select(sender => Task.Run(async () =>
                {
                    var target = refs[sender % 3];
                    for (var i = 0; i < castOrCall.Length; i++)
                    {
                        if (castOrCall[i])
                        {
                            target.Note($"{sender}:{i}");
                        }
                        else
                        {
                            await target.NoteAndCountAsync($"{sender}:{i}");
                        }
                    }
                })).ToList();
                var mover = Task.Run(async () =>
                {
                    foreach (var hop in hops)
                    {
                        try
                        {
                            await refs[hop].SendMeAsync(Destination.Node(((char)('a' + hop)).ToString()));
                        }
                        catch (MigrationFailedException failure) when (failure.Reason == MigrationFailureReason.AlreadyThere)
                        {
                            // A random hop to where it already is: nothing to do.
                        }
                    }
                });
                await Task.WhenAll([.. senders, mover]).WaitAsync(TimeSpan.FromSeconds(30));

                // Order holds per origin node, so a call from each node after its senders finished is a barrier
                // behind all of that node's casts: the last answer has seen everything.
                var seen = new List<string>();
                foreach (var target in refs)
                {
                    seen = await target.SeenAsync();
                }

                Assert.Equal(3 * sendersPerNode * castOrCall.Length, seen.Count);
                for (var sender = 0; sender < 3 * sendersPerNode; sender++)
                {
                    var prefix = $"{sender}:";
                    Assert.Equal(
                        Enumerable.Range(0, castOrCall.Length).Select(i => $"{prefix}{i}"),
                        seen.Where(item => item.StartsWith(prefix, StringComparison.Ordinal)));
                }
            },
            iter: PropertyRuns.Iterations(defaultCount: 12),
            threads: 1);
}
