namespace Mobility.Processes;

/// <summary>
/// The system clock, with <see cref="Environment.TickCount64"/> (milliseconds) as its timestamps: the clock .NET's
/// timers count on, so a deadline measured on it has passed once a timer set for the time left (a
/// <see cref="CancellationTokenSource"/>'s delay) has fired — with <see cref="TimeProvider.System"/>'s high-resolution
/// timestamps, such a timer may fire a fraction of a millisecond before.
/// </summary>
internal sealed class TickCountTime : TimeProvider
{
    private TickCountTime()
    {
    }

    public static TickCountTime Instance { get; } = new();

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Environment.TickCount64;
}
