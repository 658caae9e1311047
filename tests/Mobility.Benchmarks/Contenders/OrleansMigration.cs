using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace Mobility.Benchmarks.Contenders;

/// <summary>A grain whose state is a byte array, carried across migrations by <see cref="IGrainMigrationParticipant"/>.</summary>
public interface IMigratingGrain : IGrainWithIntegerKey
{
    Task<int> Fill(int bytes);

    Task<SiloAddress> Where();

    Task MoveTo(SiloAddress target);
}

/// <summary>The migrating grain.</summary>
public sealed class MigratingGrain(ILocalSiloDetails silo) : Grain, IMigratingGrain, IGrainMigrationParticipant
{
    private byte[] _state = [];

    public Task<int> Fill(int bytes)
    {
        _state = new byte[bytes];
        Random.Shared.NextBytes(_state);
        return Task.FromResult(_state.Length);
    }

    public Task<SiloAddress> Where() => Task.FromResult(silo.SiloAddress);

    public Task MoveTo(SiloAddress target)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        this.MigrateOnIdle();
        return Task.CompletedTask;
    }

    public void OnDehydrate(IDehydrationContext dehydrationContext) => dehydrationContext.TryAddValue("state", _state);

    public void OnRehydrate(IRehydrationContext rehydrationContext)
    {
        if (rehydrationContext.TryGetValue("state", out byte[]? state) && state is not null)
        {
            _state = state;
        }
    }
}

/// <summary>
/// Orleans' peer figure for idle migration: two silos in this OS process (localhost clustering on 127.0.0.1), one grain
/// asked to <c>MigrateOnIdle</c> to the other silo (placement hint); a move is timed from the request until a call is
/// answered on the destination silo.
/// </summary>
internal static class OrleansMigration
{
    public static async Task<MigrationResult> RunAsync(int stateBytes, int moves, int warmup)
    {
        var primaryPort = OrleansContender.FreePort();
        var first = await OrleansContender.StartSiloAsync(primaryPort, OrleansContender.FreePort());
        var second = await OrleansContender.StartSiloAsync(OrleansContender.FreePort(), OrleansContender.FreePort(), new IPEndPoint(IPAddress.Loopback, primaryPort));
        try
        {
            SiloAddress[] silos = [Address(first), Address(second)];
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IMigratingGrain>(1);
            await grain.Fill(stateBytes);
            var at = Array.IndexOf(silos, await grain.Where());
            var samples = new double[moves];
            for (var i = 0; i < warmup + moves; i++)
            {
                var target = silos[1 - at];
                var start = Stopwatch.GetTimestamp();
                await grain.MoveTo(target);
                for (var poll = 0; !(await grain.Where()).Equals(target); poll++)
                {
                    if (poll > 10_000 || Stopwatch.GetElapsedTime(start) > TimeSpan.FromSeconds(10))
                    {
                        throw new TimeoutException($"The grain did not arrive at {target} within 10 s.");
                    }
                }

                if (i >= warmup)
                {
                    samples[i - warmup] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                at = 1 - at;
            }

            Array.Sort(samples);
            return new MigrationResult(stateBytes, moves, Harness.Percentile(samples, 0.50), Harness.Percentile(samples, 0.99), samples.Average());
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
            second.Dispose();
            first.Dispose();
        }
    }

    private static SiloAddress Address(Microsoft.Extensions.Hosting.IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
}
