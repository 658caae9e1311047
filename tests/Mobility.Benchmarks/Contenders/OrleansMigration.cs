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
    private bool _rehydrated;

    /// <summary>Completed when a migrated activation has been rehydrated and activated (both silos share this process).</summary>
    public static TaskCompletionSource<SiloAddress> Arrived { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_rehydrated)
        {
            Arrived.TrySetResult(silo.SiloAddress);
        }

        return Task.CompletedTask;
    }

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

        _rehydrated = true;
    }
}

/// <summary>
/// Orleans' peer figure for idle migration: two silos in this OS process (localhost clustering on 127.0.0.1), one grain
/// asked to <c>MigrateOnIdle</c> to the other silo (placement hint); a move is timed from the request until the new
/// activation on the destination silo is rehydrated and activated, then a call confirms it answers there (not timed).
/// </summary>
internal static class OrleansMigration
{
    /// <summary>MigrateOnIdle requests of the last run that Orleans did not act on within 2 s (asked again, not sampled).</summary>
    public static int Unhonoured { get; private set; }

    public static async Task<MigrationResult> RunAsync(int stateBytes, int moves, int warmup)
    {
        Unhonoured = 0;
        var primaryPort = OrleansContender.FreePort();
        var first = await OrleansContender.StartSiloAsync(primaryPort, OrleansContender.FreePort());
        var second = await OrleansContender.StartSiloAsync(OrleansContender.FreePort(), OrleansContender.FreePort(), new IPEndPoint(IPAddress.Loopback, primaryPort));
        try
        {
            SiloAddress[] silos = [Address(first), Address(second)];
            var management = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
            // Placement to the hinted silo needs it to be active in the first silo's membership view.
            for (var wait = Stopwatch.StartNew(); (await management.GetHosts(onlyActive: true)).Count < 2; await Task.Delay(50))
            {
                if (wait.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("The second silo did not join within 30 s.");
                }
            }

            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IMigratingGrain>(1);
            await grain.Fill(stateBytes);
            var at = Array.IndexOf(silos, await grain.Where());
            var samples = new double[moves];
            for (var i = 0; i < warmup + moves; i++)
            {
                var target = silos[1 - at];
                var start = Stopwatch.GetTimestamp();
                MigratingGrain.Arrived = new TaskCompletionSource<SiloAddress>(TaskCreationOptions.RunContinuationsAsynchronously);
                await grain.MoveTo(target);
                // A call sent to the grain while it migrates hung until Orleans' 30 s response timeout here (Orleans 10.3,
                // two in-process silos), so arrival is signalled by the new activation itself, then confirmed by a call.
                // Now and then a MigrateOnIdle request is not honoured at all: such a move is not a sample; it is asked
                // again (and counted), at most a few times in a row.
                if (await Task.WhenAny(MigratingGrain.Arrived.Task, Task.Delay(TimeSpan.FromSeconds(2))) != MigratingGrain.Arrived.Task)
                {
                    if (++Unhonoured > 10 || !(await grain.Where()).Equals(silos[at]))
                    {
                        throw new TimeoutException($"MigrateOnIdle was not honoured ({Unhonoured} requests ignored), or the grain moved elsewhere.");
                    }

                    i--;
                    continue;
                }

                var arrivedAt = await MigratingGrain.Arrived.Task;
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!arrivedAt.Equals(target))
                {
                    throw new InvalidOperationException($"The grain arrived at {arrivedAt}, not {target}.");
                }

                if (!(await grain.Where()).Equals(target))
                {
                    throw new InvalidOperationException($"The directory says {target}, the grain answered from elsewhere.");
                }

                if (i >= warmup)
                {
                    samples[i - warmup] = elapsed;
                }

                at = 1 - at;
                await Task.Delay(50); // idle between moves, not timed (back-to-back MigrateOnIdle requests were not honoured)
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
