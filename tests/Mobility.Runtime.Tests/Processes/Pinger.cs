namespace Mobility.Tests.Processes;

/// <summary>A process that calls another process many times (process-to-process calls across nodes).</summary>
[MobileProcess]
public partial class Pinger
{
    private int _answers;

    [Call]
    public async Task<int> Ping(ProcessRef<Counter> target, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await target.IncrementAsync(1);
            _answers++;
        }

        return _answers;
    }
}
