using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Mobility.Faults;

/// <summary>An answer of a node to one command: ok / fail / unknown, when it started and ended there, and the rest of the line.</summary>
internal sealed record Reply(string Status, long Start, long End, string Text);

/// <summary>The node went away (killed, or exited) before it answered.</summary>
internal sealed class NodeGoneException(string node) : Exception($"node '{node}' is gone");

/// <summary>
/// The campaign's side of one node in a child OS process (this executable re-launched as <c>node --name NAME</c>, as
/// the benchmarks' <c>serve-remote</c> is): sends commands, matches answers to them, feeds the node's events to the
/// <see cref="Recorder"/>, and does the OS-level faults — kill -9, SIGSTOP, SIGCONT. The child ends when its stdin
/// does, so it does not outlive the campaign; <see cref="DisposeAsync"/> kills it in any case.
/// </summary>
internal sealed class ChildNode : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly Process _process;
    private readonly Recorder _recorder;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Reply>> _pending = new();
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Lock _writeGate = new();
    private readonly bool _verbose;
    private long _nextId;
    private volatile bool _paused;
    private volatile bool _killed;

    private ChildNode(string name, Process process, Recorder recorder, bool verbose)
    {
        Name = name;
        _process = process;
        _recorder = recorder;
        _verbose = verbose;
    }

    public string Name { get; }

    /// <summary>The node's cluster port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    public bool IsAlive => !_killed && !_exited.Task.IsCompleted;

    public bool IsPaused => _paused;

    public static async Task<ChildNode> StartAsync(string name, Timings timings, Recorder recorder, bool verbose)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown.");
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in (string[])[NodeMode.Verb, "--name", name, .. timings.ToArguments(), .. verbose ? ["--verbose"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildNode(name, process, recorder, verbose);
        process.ErrorDataReceived += (_, line) => child.OnStderr(line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {host}.");
        }

        process.BeginErrorReadLine();
        _ = Task.Factory.StartNew(child.ReadStdout, TaskCreationOptions.LongRunning);
        try
        {
            var first = await Task.WhenAny(child._ready.Task, child._exited.Task).WaitAsync(ReadyDeadline);
            if (first != child._ready.Task)
            {
                throw new InvalidOperationException($"node '{name}' exited before it was ready.{child.Tail()}");
            }

            child.Port = await child._ready.Task;
            return child;
        }
        catch
        {
            child.Kill();
            throw;
        }
    }

    /// <summary>Sends a command; the task completes with the node's answer, or faults with <see cref="NodeGoneException"/>. No deadline: callers bound their wait.</summary>
    public Task<Reply> Send(string command)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        if (!IsAlive)
        {
            Fail(id);
            return answer.Task;
        }

        try
        {
            // Written synchronously under a lock: a paused child's full pipe blocks the writer, never interleaves lines.
            lock (_writeGate)
            {
                _process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id} {command}"));
                _process.StandardInput.Flush();
            }
        }
        catch (Exception failure) when (failure is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(id);
        }

        return answer.Task;
    }

    /// <summary>Sends a command and waits at most <paramref name="deadline"/> for an ok answer.</summary>
    public async Task<string> AskAsync(string command, TimeSpan deadline)
    {
        var answer = await Task.Run(() => Send(command)).WaitAsync(deadline);
        return answer.Status == "ok" ? answer.Text : throw new InvalidOperationException($"node '{Name}' answered '{command}' with {answer.Status} {answer.Text}");
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
            }
        }
        catch (Exception failure) when (failure is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>SIGSTOP: the node stops dead, sockets open, timers frozen.</summary>
    public void Pause()
    {
        if (IsAlive && Signal(_process.Id, SigStop) == 0)
        {
            _paused = true;
        }
    }

    /// <summary>SIGCONT.</summary>
    public void Resume()
    {
        if (_paused)
        {
            _ = Signal(_process.Id, SigCont);
            _paused = false;
        }
    }

    public Task Exited => _exited.Task;

    public async ValueTask DisposeAsync()
    {
        Resume();
        Kill();
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Signal(int pid, int signal);

    private void ReadStdout()
    {
        try
        {
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("E ", StringComparison.Ordinal))
                {
                    _recorder.OnEvent(line);
                }
                else if (line.StartsWith("R ", StringComparison.Ordinal))
                {
                    OnReply(line);
                }
                else if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    _ready.TrySetResult(int.Parse(line[6..], CultureInfo.InvariantCulture));
                }
                else
                {
                    OnStderr(line);
                }
            }
        }
        catch (Exception failure) when (failure is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the child is gone
        }

        OnExited();
    }

    private void OnReply(string line)
    {
        // R ID STATUS [START END] TEXT...
        var words = line.Split(' ', 6);
        var id = long.Parse(words[1], CultureInfo.InvariantCulture);
        if (!_pending.TryRemove(id, out var answer))
        {
            return;
        }

        if (words.Length >= 5 && long.TryParse(words[3], CultureInfo.InvariantCulture, out var start) && long.TryParse(words[4], CultureInfo.InvariantCulture, out var end))
        {
            answer.TrySetResult(new Reply(words[2], start, end, words.Length > 5 ? words[5] : ""));
        }
        else
        {
            answer.TrySetResult(new Reply(words[2], 0, 0, ""));
        }
    }

    /// <summary>The end of the child's stdout: everything it wrote, events and answers, has been read; what is unanswered never will be.</summary>
    private void OnExited()
    {
        _exited.TrySetResult();
        foreach (var id in _pending.Keys)
        {
            Fail(id);
        }
    }

    private void Fail(long id)
    {
        if (_pending.TryRemove(id, out var answer))
        {
            answer.TrySetException(new NodeGoneException(Name));
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > 20)
            {
                _stderr.Dequeue();
            }
        }

        if (_verbose)
        {
            Console.Error.WriteLine($"  [{Name}] {line}");
        }
    }

    public string Tail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? "" : $" Its last output: {string.Join(" | ", _stderr)}";
        }
    }
}
