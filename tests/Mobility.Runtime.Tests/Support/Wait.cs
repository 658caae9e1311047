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

    /// <summary>
    /// A bounded negative check: whether <paramref name="task"/> is still running after <paramref name="window"/>.
    /// Only for what must not happen; what must happen is waited for with <see cref="UntilAsync(Func{bool}, string)"/>.
    /// </summary>
    public static async Task<bool> StaysPendingAsync(this Task task, TimeSpan window) =>
        await Task.WhenAny(task, Task.Delay(window, CancellationToken.None)) != task;

    public static Task<T> WithDeadline<T>(this Task<T> task) => task.WaitAsync(Deadline);

    public static Task WithDeadline(this Task task) => task.WaitAsync(Deadline);
}
