using System.Diagnostics;
using System.Threading.Channels;

namespace Mobility.Tests.Support;

/// <summary>A node of the example sample running in its own OS process, driven through its prompt.</summary>
internal sealed class ChildNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _transcript = [];

    private ChildNode(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildNode Start(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Samples.AssemblyOf("Mobility.Example"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ChildNode(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    public async Task SendAsync(string command)
    {
        lock (_transcript)
        {
            _transcript.Add("< " + command);
        }

        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for an output line containing <paramref name="text"/> and returns it.</summary>
    public async Task<string> ExpectAsync(string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(deadline.Token);
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            string transcript;
            lock (_transcript)
            {
                transcript = string.Join(Environment.NewLine, _transcript);
            }

            throw new TimeoutException($"No line containing '{text}' within 30 s. Transcript:{Environment.NewLine}{transcript}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await SendAsync("quit");
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception exception) when (exception is TimeoutException or IOException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            return;
        }

        lock (_transcript)
        {
            _transcript.Add("> " + line);
        }

        _lines.Writer.TryWrite(line);
    }
}
