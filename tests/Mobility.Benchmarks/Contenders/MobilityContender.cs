using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Mobility.Benchmarks.Contenders;

/// <summary>Mobility: processes on one node, or on a second node in a second OS process over a loopback TCP connection.</summary>
internal sealed class MobilityContender : IContender
{
    public string Name => "Mobility";

    public static ServiceProvider Build(string name, int maxFrameSize = 64 * 1024 * 1024) =>
        new ServiceCollection()
            .AddMobility(options =>
            {
                options.NodeName = name;
                options.Cookie = "benchmark";
                options.Listen = new IPEndPoint(IPAddress.Loopback, 0);
                options.MaxFrameSize = maxFrameSize;
                options.CallTimeout = TimeSpan.FromSeconds(60);
                options.MigrationTimeout = TimeSpan.FromSeconds(30);
            })
            .AddMobileProcess<Echo>()
            .AddMobileProcess<Idle>()
            .AddMobileProcess<Sequencer>()
            .AddMobileProcess<Payload>()
            .BuildServiceProvider();

    /// <summary>Two started nodes a and b, b connected to a.</summary>
    public static async Task<(ServiceProvider A, ServiceProvider B, MobilityNode NodeA, MobilityNode NodeB)> PairAsync(int maxFrameSize = 64 * 1024 * 1024)
    {
        var a = Build("a", maxFrameSize);
        var b = Build("b", maxFrameSize);
        var nodeA = a.GetRequiredService<MobilityNode>();
        var nodeB = b.GetRequiredService<MobilityNode>();
        await nodeA.StartAsync();
        await nodeB.StartAsync();
        await nodeB.ConnectAsync(nodeA.LocalEndPoint!);

        // b's connect returns once b registered a; a registers b on its side of the handshake, maybe a little later.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!nodeA.Nodes.Contains("b"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Node a did not see node b within 10 s of b connecting to it.");
            }

            await Task.Delay(1);
        }

        return (a, b, nodeA, nodeB);
    }

    public async Task<Endpoints> LocalAsync()
    {
        var services = Build("a");
        var node = services.GetRequiredService<MobilityNode>();
        await node.StartAsync();
        var echo = await node.SpawnAsync<Echo>();
        return new Endpoints(echo.Tell, seq => echo.PingAsync(seq).AsTask(), () => services.DisposeAsync());
    }

    public async Task<Served> ServeAsync()
    {
        var b = Build("b");
        var nodeB = b.GetRequiredService<MobilityNode>();
        await nodeB.StartAsync();
        var echo = await nodeB.SpawnAsync<Echo>();
        await echo.RegisterAsync("echo");
        return new Served(nodeB.LocalEndPoint!.Port.ToString(CultureInfo.InvariantCulture), async () => await b.DisposeAsync());
    }

    public async Task<Endpoints?> RemoteAsync(string address)
    {
        var a = Build("a");
        try
        {
            var nodeA = a.GetRequiredService<MobilityNode>();
            await nodeA.StartAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await nodeA.ConnectAsync(new IPEndPoint(IPAddress.Loopback, int.Parse(address, CultureInfo.InvariantCulture)), deadline.Token);
            // The name's directory entry may be handed over to a just after the join: ask until it resolves.
            ProcessRef<Echo>? echo;
            while ((echo = await nodeA.WhereIsAsync<Echo>("echo", deadline.Token)) is null)
            {
                if (deadline.IsCancellationRequested)
                {
                    throw new TimeoutException("Node a, joined to b, did not find the name 'echo' within 30 s.");
                }

                await Task.Delay(20, CancellationToken.None);
            }

            return new Endpoints(echo.Tell, seq => echo.PingAsync(seq).AsTask(), () => a.DisposeAsync());
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public async Task<SpawnResult> SpawnAsync(int count)
    {
        await using var services = Build("a");
        var node = services.GetRequiredService<MobilityNode>();
        await node.StartAsync();
        var refs = new ProcessRef<Idle>[count];
        var before = Harness.Heap();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            refs[i] = await node.SpawnAsync<Idle>();
        }

        await refs[^1].NopAsync();
        clock.Stop();
        var after = Harness.Heap();
        GC.KeepAlive(refs);
        return new SpawnResult(count / clock.Elapsed.TotalSeconds, (after - before - count * (long)IntPtr.Size) / (double)count);
    }
}
