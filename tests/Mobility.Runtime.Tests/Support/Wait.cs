namespace Mobility.Tests.Support;

/// <summary>Waits on conditions with a deadline, never on a fixed sleep.</summary>
internal static class Wait
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up after {Deadline.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    public static Task<T> WithDeadline<T>(this Task<T> task) => task.WaitAsync(Deadline);

    public static Task WithDeadline(this Task task) => task.WaitAsync(Deadline);
}
