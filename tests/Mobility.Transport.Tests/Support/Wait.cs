namespace Mobility.Transport.Tests.Support;

/// <summary>Waits on conditions and tasks with a deadline, never on a fixed sleep.</summary>
internal static class Wait
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up after {Deadline.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    public static Task<T> WithDeadline<T>(this Task<T> task) => task.WaitAsync(Deadline);

    public static Task WithDeadline(this Task task) => task.WaitAsync(Deadline);
}
