using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mobility.Processes;
using Orleans.Concurrency;
using Orleans.Configuration;
using Orleans.Runtime.Placement;

namespace Mobility.Benchmarks.Contenders;

/// <summary>The Orleans receiver: one-way casts are <c>[OneWay]</c> grain calls.</summary>
public interface IEchoGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task Tell(long seq);

    Task<long> Ping(long seq);

    /// <summary>The id of the OS process the grain is activated in.</summary>
    Task<int> Host();
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

    public Task<int> Host() => Task.FromResult(Environment.ProcessId);
}

/// <summary>
/// Orleans 10: one silo with localhost clustering; local calls go through the silo's own <c>IGrainFactory</c>;
/// cross-node is two silos in two OS processes (localhost clustering on 127.0.0.1: the child process runs the primary
/// silo, which hosts the echo grain, this process a second silo that joins it and calls through its own <c>IGrainFactory</c>).
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

    public static async Task<IHost> StartSiloAsync(int siloPort, int gatewayPort, IPEndPoint? primary = null, Action<ISiloBuilder>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary);
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

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

    public async Task<Served> ServeAsync()
    {
        var siloPort = FreePort();
        var silo = await StartSiloAsync(siloPort, FreePort());
        return new Served(siloPort.ToString(CultureInfo.InvariantCulture), async () =>
        {
            await silo.StopAsync();
            silo.Dispose();
        });
    }

    public async Task<Endpoints?> RemoteAsync(string address)
    {
        var primary = new IPEndPoint(IPAddress.Loopback, int.Parse(address, CultureInfo.InvariantCulture));
        using var joining = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var silo = await StartSiloAsync(FreePort(), FreePort(), primary, cancellationToken: joining.Token);
        try
        {
            var grain = await PlaceOnAsync(silo, primary, TimeSpan.FromSeconds(60));
            await grain.Ping(0);
            return new Endpoints(seq => _ = grain.Tell(seq), seq => grain.Ping(seq), async () =>
            {
                await silo.StopAsync();
                silo.Dispose();
            });
        }
        catch
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.StopAsync(stopping.Token);
            silo.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Activates an echo grain on the silo listening at <paramref name="target"/> (another OS process): the first call
    /// carries a placement hint for that silo, once this silo sees it active, and the grain's answer must come from
    /// another process. A grain placed elsewhere (the hint is ignored while the silo is not yet compatible) is left
    /// idle and the next key is tried.
    /// </summary>
    private static async Task<IEchoGrain> PlaceOnAsync(IHost silo, IPEndPoint target, TimeSpan within)
    {
        var membership = silo.Services.GetRequiredService<IClusterMembershipService>();
        var factory = silo.Services.GetRequiredService<IGrainFactory>();
        var deadline = Stopwatch.StartNew();
        for (var key = 1_000_000L; deadline.Elapsed < within; key++)
        {
            var there = membership.CurrentSnapshot.Members.Values
                .FirstOrDefault(member => member.Status == SiloStatus.Active && member.SiloAddress.Endpoint.Port == target.Port)?.SiloAddress;
            if (there is not null)
            {
                var grain = factory.GetGrain<IEchoGrain>(key);
                RequestContext.Set(IPlacementDirector.PlacementHintKey, there);
                int host;
                try
                {
                    host = await grain.Host();
                }
                finally
                {
                    RequestContext.Clear();
                }

                if (host != Environment.ProcessId)
                {
                    return grain;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No echo grain could be placed on the silo at {target} within {within.TotalSeconds} s.");
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
