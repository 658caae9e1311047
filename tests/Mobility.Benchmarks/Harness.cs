using System.Diagnostics;

namespace Mobility.Benchmarks;

/// <summary>
/// Counts one-way messages arriving at the one receiving actor of a run, whatever the framework, and completes
/// when the expected number has arrived. The count is interlocked (a few ns, the same for every framework) so that it stays exact even where a framework
/// might run two one-way messages of one actor concurrently.
/// </summary>
internal static class Probe
{
    private static long _count;
    private static long _target = long.MaxValue;
    private static TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static Task Expect(long messages)
    {
        _count = 0;
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, messages);
        return _done.Task;
    }

    /// <summary>Messages arrived so far in this run.</summary>
    public static long Count => Volatile.Read(ref _count);

    /// <summary>
    /// The receiver is in another OS process: its count of this run arrived (see <see cref="RemoteNode"/>); completes
    /// the run once it reaches the expected number.
    /// </summary>
    public static void Observe(long count)
    {
        Volatile.Write(ref _count, count);
        if (count >= Volatile.Read(ref _target))
        {
            _done.TrySetResult();
        }
    }

    /// <summary>Ends the current run with <paramref name="failure"/> (the receivers' OS process is gone).</summary>
    public static void Fail(Exception failure) => _done.TrySetException(failure);

    public static void Hit()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _done.TrySetResult();
        }
    }
}

/// <summary>Latency percentiles of sequential request/reply, in microseconds.</summary>
internal sealed record Latency(double P50, double P99, double Mean);

/// <summary>The custom Stopwatch harness shared by every framework: same loops, same counts, same bounds.</summary>
internal static class Harness
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(double.TryParse(Environment.GetEnvironmentVariable("MOBILITY_BENCH_BOUND_S"), out var s) ? s : 90);

    /// <summary>Largest number of one-way messages sent and not yet arrived, over all senders (flow control).</summary>
    public const int OneWayWindow = 50_000;

    private const int Burst = 1_000;

    /// <summary>
    /// N senders cast <paramref name="perSender"/> messages each to one receiver; msgs/s until the last arrived. Senders
    /// send in bursts of 1,000 and pause (1 ms sleeps) while more than <see cref="OneWayWindow"/> are in flight, so no
    /// framework is measured with a million-message queue (Orleans slows to a crawl with one).
    /// </summary>
    /// <param name="arm">Where the receiver runs in another OS process: tells it how many messages to count before the
    /// senders start (<see cref="Endpoints.Expect"/>).</param>
    public static async Task<double> OneWayAsync(Action<long> cast, int senders, int perSender, Func<long, Task>? arm = null)
    {
        // Armed first: from then on, progress lines of an earlier run in the receivers' process are ignored.
        if (arm is not null)
        {
            await arm((long)senders * perSender);
        }

        var done = Probe.Expect((long)senders * perSender);

        long sent = 0;
        var abandoned = false;
        using var start = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, senders).Select(_ => Task.Factory.StartNew(() =>
        {
            start.Wait();
            var deadline = Stopwatch.StartNew();
            for (long i = 1; i <= perSender && !Volatile.Read(ref abandoned);)
            {
                while (Interlocked.Read(ref sent) - Probe.Count > OneWayWindow && deadline.Elapsed < Bound && !Volatile.Read(ref abandoned))
                {
                    Thread.Sleep(1);
                }

                var end = Math.Min(perSender, i + Burst - 1);
                Interlocked.Add(ref sent, end - i + 1);
                for (; i <= end; i++)
                {
                    cast(i);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        var clock = Stopwatch.StartNew();
        start.Set();
        try
        {
            await done.WaitAsync(Bound);
        }
        catch (Exception failure)
        {
            // The senders stop at their next burst, so that they do not run into the next framework's measurement.
            Volatile.Write(ref abandoned, true);
            await Task.WhenAll(threads).WaitAsync(Bound).ContinueWith(_ => { }, TaskScheduler.Default);
            if (failure is TimeoutException)
            {
                throw new TimeoutException($"Only {Probe.Count:N0} of {(long)senders * perSender:N0} one-way messages arrived within {Bound.TotalSeconds} s.");
            }

            throw;
        }

        clock.Stop();
        await Task.WhenAll(threads).WaitAsync(Bound);
        return (double)senders * perSender / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One caller, one call at a time: per-call latency.</summary>
    public static async Task<Latency> PingPongAsync(Func<long, Task> call, int calls)
    {
        var samples = new double[calls];
        var deadline = Stopwatch.StartNew();
        for (var i = 0; i < calls && deadline.Elapsed < Bound; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        return new Latency(Percentile(samples, 0.50), Percentile(samples, 0.99), samples.Average());
    }

    /// <summary><paramref name="callers"/> concurrent callers, each one call at a time: calls/s.</summary>
    public static async Task<double> CallThroughputAsync(Func<long, Task> call, int callers, int perCaller)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            for (long i = 0; i < perCaller; i++)
            {
                await call(i);
            }
        }))).WaitAsync(Bound);
        return (double)callers * perCaller / clock.Elapsed.TotalSeconds;
    }

    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>Managed heap after a full blocking collection.</summary>
    public static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>How to reach the benchmark's receiving actors of one framework, locally or on a second node.</summary>
internal sealed class Endpoints(Action<long> cast, Func<long, Task> call, Func<ValueTask> dispose, Func<long, Task>? expect = null) : IAsyncDisposable
{
    /// <summary>
    /// Null when the receivers share this OS process; otherwise arms the count of the next one-way run in the receivers'
    /// process, whose progress then reaches <see cref="Probe.Observe"/>.
    /// </summary>
    public Func<long, Task>? Expect { get; } = expect;

    /// <summary>Fire-and-forget to the counting receiver.</summary>
    public Action<long> Cast { get; } = cast;

    /// <summary>Request/reply to the echoing receiver.</summary>
    public Func<long, Task> Call { get; } = call;

    public ValueTask DisposeAsync() => dispose();
}

/// <summary>A node serving the receivers in the child OS process: its address for the parent, and how to stop it.</summary>
internal sealed record Served(string Address, Func<Task> Stop);

/// <summary>Spawn rate and memory per idle actor.</summary>
internal sealed record SpawnResult(double PerSecond, double BytesPerProcess);

/// <summary>One framework in the comparison.</summary>
internal interface IContender
{
    string Name { get; }

    /// <summary>Receivers in the same node as the senders.</summary>
    Task<Endpoints> LocalAsync();

    /// <summary>
    /// In the child OS process of workload 3 (<c>serve-remote</c>): starts the second node on 127.0.0.1 with the
    /// receivers, and returns what the parent needs to reach it (its READY line) and how to stop it.
    /// </summary>
    Task<Served> ServeAsync();

    /// <summary>
    /// In the parent OS process: starts a node that joins the child's (<paramref name="address"/>, from
    /// <see cref="ServeAsync"/>) and resolves its receivers; null when not measured.
    /// </summary>
    Task<Endpoints?> RemoteAsync(string address);

    /// <summary>Spawns <paramref name="count"/> idle actors and keeps them alive until measured.</summary>
    Task<SpawnResult> SpawnAsync(int count);
}
