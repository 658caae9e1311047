using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Mobility.Benchmarks;

/// <summary>
/// Workload 3's second node, in a second OS process: this executable re-launched as
/// <c>Mobility.Benchmarks serve-remote FRAMEWORK</c>. The child starts the framework's node with the receivers on
/// 127.0.0.1 and prints <c>READY ADDRESS</c>; the parent joins it over the framework's own transport. The
/// one-way count of the child's receiver reaches the parent over the child's stdin/stdout (the same for every
/// framework, outside the measured path): <c>EXPECT RUN N</c> → <c>ARMED RUN</c>, then <c>COUNT RUN C</c> about every
/// millisecond and <c>DONE RUN C</c> as the last message arrives. <c>STOP</c> (or the end of stdin, when the parent
/// dies) stops the node and ends the child. Every wait has a deadline; a child that does not answer is killed.
/// </summary>
internal sealed class RemoteNode : IAsyncDisposable
{
    public const string Mode = "serve-remote";

    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan JoinDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _name;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private TaskCompletionSource _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _run;
    private volatile bool _stopping;

    private RemoteNode(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    /// <summary>
    /// Launches the child for <paramref name="contender"/>, waits for its READY line, joins it from this process and
    /// returns the receivers; the endpoints' disposal stops the parent's node, then the child. On any failure the
    /// child is killed.
    /// </summary>
    public static async Task<Endpoints?> OpenAsync(IContender contender)
    {
        var child = Launch(contender.Name);
        try
        {
            var address = await child.ReadyAsync();
            // Each contender bounds its own join; this is the last resort.
            var endpoints = await contender.RemoteAsync(address).WaitAsync(JoinDeadline);
            if (endpoints is null)
            {
                await child.DisposeAsync();
                return null;
            }

            return new Endpoints(endpoints.Cast, endpoints.Call, async () =>
            {
                try
                {
                    await endpoints.DisposeAsync().AsTask().WaitAsync(StopDeadline);
                }
                finally
                {
                    await child.DisposeAsync();
                }
            }, child.ArmAsync);
        }
        catch
        {
            await child.KillAsync();
            throw;
        }
    }

    private static RemoteNode Launch(string framework)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Run as an apphost (dotnet run) or as "dotnet Mobility.Benchmarks.dll": either way the same build.
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(Mode);
        start.ArgumentList.Add(framework);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new RemoteNode(process, framework);
        process.ErrorDataReceived += (_, line) => child.OnStderr(line.Data);
        process.Exited += (_, _) =>
        {
            child._exited.TrySetResult();
            if (!child._stopping)
            {
                Probe.Fail(new InvalidOperationException($"The {framework} child process exited unexpectedly.{child.Tail()}"));
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {host}.");
        }

        process.StandardInput.AutoFlush = true;
        process.BeginErrorReadLine();
        _ = Task.Factory.StartNew(child.ReadStdout, TaskCreationOptions.LongRunning);
        return child;
    }

    private async Task<string> ReadyAsync()
    {
        var first = await Task.WhenAny(_ready.Task, _exited.Task, Task.Delay(ReadyDeadline));
        if (first == _ready.Task)
        {
            return await _ready.Task;
        }

        throw new InvalidOperationException(first == _exited.Task
            ? $"The {_name} child process exited before it was ready (exit code {ExitCode()}).{Tail()}"
            : $"The {_name} child process was not ready within {ReadyDeadline.TotalSeconds} s.{Tail()}");
    }

    /// <summary>Resets the child's count for a one-way run of <paramref name="messages"/> and waits until it is armed.</summary>
    private async Task ArmAsync(long messages)
    {
        var run = Interlocked.Increment(ref _run);
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _armed, armed);
        await Command($"EXPECT {run} {messages}");
        await Task.WhenAny(armed.Task, _exited.Task).WaitAsync(CommandDeadline);
        if (!armed.Task.IsCompleted)
        {
            throw new InvalidOperationException($"The {_name} child process exited (exit code {ExitCode()}).{Tail()}");
        }
    }

    private Task Command(string line) => _process.StandardInput.WriteLineAsync(line).WaitAsync(CommandDeadline);

    private void ReadStdout()
    {
        try
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                var words = line.Split(' ');
                switch (words)
                {
                    case ["READY", var address]:
                        _ready.TrySetResult(address);
                        break;
                    case ["ARMED", var run] when IsCurrent(run):
                        Volatile.Read(ref _armed).TrySetResult();
                        break;
                    case ["COUNT" or "DONE", var run, var text] when IsCurrent(run) && long.TryParse(text, CultureInfo.InvariantCulture, out var count):
                        Probe.Observe(count);
                        break;
                    case ["ARMED" or "COUNT" or "DONE", ..]:
                        break; // a previous run's
                    default:
                        OnStderr(line);
                        break;
                }
            }
        }
        catch (Exception failure) when (failure is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the child is gone; its exit is reported by the waits
        }
    }

    private bool IsCurrent(string run) => long.TryParse(run, CultureInfo.InvariantCulture, out var id) && id == Volatile.Read(ref _run);

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > 10)
            {
                _stderr.Dequeue();
            }
        }

        Console.Error.WriteLine($"  [{_name} child] {line}");
    }

    private string Tail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? "" : $" Its last output: {string.Join(" | ", _stderr)}";
        }
    }

    private string ExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private async Task KillAsync()
    {
        _stopping = true;
        Kill();
        await _exited.Task.WaitAsync(StopDeadline).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception failure) when (failure is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>Asks the child to stop its node and exit; kills it if it has not exited within the deadline.</summary>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        try
        {
            if (!_process.HasExited)
            {
                await Command("STOP");
                await _exited.Task.WaitAsync(StopDeadline);
            }
        }
        catch (Exception failure) when (failure is IOException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            Console.Error.WriteLine($"  [{_name} child] did not stop within {StopDeadline.TotalSeconds} s: killed");
        }
        finally
        {
            Kill();
            await _exited.Task.WaitAsync(StopDeadline).ContinueWith(_ => { }, TaskScheduler.Default);
            _process.Dispose();
        }
    }

    /// <summary>
    /// The child's side (<c>serve-remote FRAMEWORK</c>): serves the receivers of <paramref name="contender"/> until STOP
    /// or the end of stdin. Returns the exit code.
    /// </summary>
    public static async Task<int> ServeAsync(IContender contender)
    {
        var output = Console.Out;
        var gate = new object();
        void Say(string line)
        {
            lock (gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        Served served;
        try
        {
            served = await contender.ServeAsync();
        }
        catch (Exception failure)
        {
            Console.Error.WriteLine($"{contender.Name} node failed to start: {failure.GetType().Name}: {failure.Message}");
            return 1;
        }

        Say($"READY {served.Address}");
        CancellationTokenSource? reporting = null;
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var words = line.Split(' ');
            if (words is ["EXPECT", var run, var count])
            {
                reporting?.Cancel();
                var expected = long.Parse(count, CultureInfo.InvariantCulture);
                var done = Probe.Expect(expected);
                var stop = reporting = new CancellationTokenSource();
                _ = done.ContinueWith(_ =>
                {
                    stop.Cancel();
                    Say($"DONE {run} {Probe.Count}");
                }, TaskScheduler.Default);
                // Progress for the senders' flow control: about every millisecond while the run lasts.
                _ = Task.Factory.StartNew(() =>
                {
                    var last = -1L;
                    while (!stop.IsCancellationRequested)
                    {
                        Thread.Sleep(1);
                        var now = Probe.Count;
                        if (now != last && !stop.IsCancellationRequested)
                        {
                            Say($"COUNT {run} {now}");
                            last = now;
                        }
                    }
                }, TaskCreationOptions.LongRunning);
                Say($"ARMED {run}");
            }
            else if (line == "STOP")
            {
                break;
            }
        }

        reporting?.Cancel();
        try
        {
            await served.Stop().WaitAsync(StopDeadline);
        }
        catch (Exception failure)
        {
            Console.Error.WriteLine($"{contender.Name} node did not stop cleanly: {failure.GetType().Name}: {failure.Message}");
        }

        return 0;
    }
}
