using System.Diagnostics.Metrics;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;
using Mobility.Transport;

namespace Mobility.Tests.Cluster;

public sealed class ClusterBehaviourTests
{
    [Fact]
    public async Task OnLeaving_runs_at_the_source_before_the_snapshot_and_OnArrived_at_the_destination()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.IncrementAsync(3);

        await counter.SendMeAsync(Destination.Node("b"));

        Assert.Equal(["started", "leaving for node 'b' at 3"], cluster[0].Get<Journal>().Entries);
        Assert.Equal(["arrived from a"], cluster[1].Get<Journal>().Entries);
    }

    [Fact]
    public async Task A_member_that_stops_sending_heartbeats_is_declared_down()
    {
        await using var cluster = await TestCluster.StartAsync(1, options =>
        {
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
            options.FailureDetectionTimeout = TimeSpan.FromMilliseconds(400);
        });
        var down = new TaskCompletionSource<NodeEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster[0].Node.NodeDown += (_, args) => down.TrySetResult(args);

        // An authenticated member that never sends anything after its handshake: hung, not disconnected.
        await using var silent = await TransportConnector.ConnectAsync(
            cluster[0].Node.LocalEndPoint!,
            new TransportOptions { Cookie = TestCluster.Cookie, NodeName = "silent" },
            ConnectionPurpose.Cluster,
            (_, _) => ValueTask.CompletedTask);
        await Wait.UntilAsync(() => cluster[0].Node.Nodes.Contains("silent"), "the silent node joined");

        var args = await down.Task.WithDeadline();
        Assert.Equal("silent", args.NodeName);
        Assert.Contains("sent nothing", args.Reason);
    }

    [Fact]
    public async Task Names_and_locations_survive_members_joining_and_leaving()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var names = Enumerable.Range(0, 12).Select(i => $"worker-{i}").ToArray();
        foreach (var name in names)
        {
            var worker = await cluster[0].Node.SpawnAsync<Counter>();
            await worker.RegisterAsync(name); // owners are spread over a, b and c
        }

        await cluster[2].Node.StopAsync(); // c owned some of those entries: a re-homes them
        await Wait.UntilAsync(() => cluster[1].Node.Nodes.Count == 1, "b sees c go");
        await using var late = await TestNode.StartAsync(options =>
        {
            options.NodeName = "late";
            options.Cookie = TestCluster.Cookie;
            options.Seeds.Add(cluster[0].Node.LocalEndPoint!);
        });
        await Wait.UntilAsync(() => late.Node.Nodes.Count == 2, "the late node joined a and b");

        foreach (var name in names)
        {
            await Wait.UntilAsync(async () => await late.Node.WhereIsAsync<Counter>(name) is not null, $"'{name}' resolves from the late node");
            Assert.NotNull(await cluster[1].Node.WhereIsAsync<Counter>(name));
        }
    }

    [Fact]
    public async Task Moves_and_forwarded_messages_are_counted_in_metrics()
    {
        using var listener = new MeterListener();
        long completed = 0, forwarded = 0;
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument.Meter.Name == "Mobility")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "mobility.migrations":
                    Interlocked.Add(ref completed, value);
                    break;
                case "mobility.messages.forwarded":
                    Interlocked.Add(ref forwarded, value);
                    break;
            }
        });
        listener.Start();
        await using var cluster = await TestCluster.StartAsync(3);
        var counter = await cluster[0].Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("counted");
        var fromC = (await cluster[2].Node.WhereIsAsync<Counter>("counted"))!;

        await counter.SendMeAsync(Destination.Node("b"));
        await fromC.IncrementAsync(1); // c still believes a hosts it: a forwards

        Assert.True(Interlocked.Read(ref completed) >= 1);
        Assert.True(Interlocked.Read(ref forwarded) >= 1);
    }
}
