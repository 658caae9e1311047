using Microsoft.Extensions.DependencyInjection;

namespace Mobility.Tests.Processes;

/// <summary>Blocks construction on nodes that register it, so a test can stall the restoring side of a move.</summary>
public sealed class ConstructionGate
{
    private readonly ManualResetEventSlim _open = new();
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Reached => _reached.Task;

    public void Open() => _open.Set();

    /// <summary>Blocks the constructing thread until the test opens the gate (at most 10 s, so a failing test cannot hang).</summary>
    public void Pass()
    {
        _reached.TrySetResult();
        _open.Wait(TimeSpan.FromSeconds(10));
    }
}

/// <summary>A process whose construction a <see cref="ConstructionGate"/> can stall.</summary>
[MobileProcess]
public partial class Parcel
{
    private int _weight;

    public Parcel(IServiceProvider services) => services.GetService<ConstructionGate>()?.Pass();

    [Call]
    public int Load(int amount) => _weight += amount;
}
