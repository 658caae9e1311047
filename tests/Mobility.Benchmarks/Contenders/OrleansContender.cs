using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Configuration;

namespace Mobility.Benchmarks.Contenders;

/// <summary>The Orleans receiver: one-way casts are <c>[OneWay]</c> grain calls.</summary>
public interface IEchoGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task Tell(long seq);

    Task<long> Ping(long seq);
}

/// <summary>The Orleans receiver grain.</summary>
public sealed class EchoGrain : Grain, IEchoGrain
{
    public Task Tell(long seq)
    {
        Probe.Hit();
        return Task.CompletedTask;
    }

    public Task<long> Ping(long seq) => Task.FromResult(seq);
}

/// <summary>
/// Orleans 10: one silo with localhost clustering; local calls go through the silo's own <c>IGrainFactory</c>;
/// cross-node is an Orleans client host talking to the silo's gateway over 127.0.0.1 (two hosts in this OS process).
/// Logging providers cleared.
/// </summary>
internal sealed class OrleansContender : IContender
{
    public string Name => "Orleans";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort, IPEndPoint? primary = null, Action<ISiloBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public async Task<Endpoints> LocalAsync()
    {
        var silo = await StartSiloAsync(FreePort(), FreePort());
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IEchoGrain>(0);
        await grain.Ping(0);
        return new Endpoints(seq => _ = grain.Tell(seq), seq => grain.Ping(seq), async () =>
        {
            await silo.StopAsync();
            silo.Dispose();
        });
    }

    public async Task<Endpoints?> RemoteAsync()
    {
        var gatewayPort = FreePort();
        var silo = await StartSiloAsync(FreePort(), gatewayPort);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        var client = builder.Build();
        await client.StartAsync();
        var grain = client.Services.GetRequiredService<IClusterClient>().GetGrain<IEchoGrain>(0);
        await grain.Ping(0);
        return new Endpoints(seq => _ = grain.Tell(seq), seq => grain.Ping(seq), async () =>
        {
            await client.StopAsync();
            client.Dispose();
            await silo.StopAsync();
            silo.Dispose();
        });
    }

    public async Task<SpawnResult> SpawnAsync(int count)
    {
        var silo = await StartSiloAsync(FreePort(), FreePort(), configure: s => s.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(1)));
        try
        {
            var factory = silo.Services.GetRequiredService<IGrainFactory>();
            var grains = new IEchoGrain[count];
            var before = Harness.Heap();
            var clock = Stopwatch.StartNew();
            // A grain is virtual: it exists once activated, so each is activated by one call (Orleans' "spawn").
            for (var i = 0; i < count; i++)
            {
                grains[i] = factory.GetGrain<IEchoGrain>(1 + i);
                await grains[i].Ping(0);
            }

            clock.Stop();
            var after = Harness.Heap();
            GC.KeepAlive(grains);
            return new SpawnResult(count / clock.Elapsed.TotalSeconds, (after - before - count * (long)IntPtr.Size) / (double)count);
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
        }
    }
}
