using System.Diagnostics;
using System.Text;

namespace Mobility.Package.Tests;

/// <summary>Runs the dotnet CLI as a child process, with a deadline; kills the whole tree when it passes.</summary>
internal static class Dotnet
{
    /// <summary>What a build started by 'dotnet test' must not inherit: the parent's MSBuild and test host settings.</summary>
    private static readonly string[] InheritedPrefixes = ["MSBuild", "MSBUILD", "VSTEST", "TESTINGPLATFORM", "DOTNET_CLI_TELEMETRY_SESSIONID"];

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(key => InheritedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            string partial;
            lock (output)
            {
                partial = output.ToString();
            }

            throw new TimeoutException($"'dotnet {string.Join(' ', arguments)}' did not finish within {timeout}; killed.{Environment.NewLine}{partial}");
        }

        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Runs and fails the test unless the command succeeds; returns its output.</summary>
    public static async Task<string> SucceedAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var (exitCode, output) = await RunAsync(workingDirectory, timeout, arguments);
        Assert.True(exitCode == 0, $"'dotnet {string.Join(' ', arguments)}' exited with {exitCode}:{Environment.NewLine}{output}");
        return output;
    }
}
