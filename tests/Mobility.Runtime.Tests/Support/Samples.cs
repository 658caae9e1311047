using System.Diagnostics;

namespace Mobility.Tests.Support;

/// <summary>The samples under <c>samples/</c>, built next to this test project in the same configuration (it references them).</summary>
internal static class Samples
{
    /// <summary>The path of the sample <paramref name="project"/>'s assembly.</summary>
    public static string AssemblyOf(string project)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent!.Name; // .../bin/<Configuration>/net10.0/
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mobility.slnx")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Mobility.slnx not found above the test assembly."),
            "samples", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the sample first (the test project references it).", path);
    }

    /// <summary>Runs the sample <paramref name="project"/> to its end and returns what it wrote; fails if it fails or takes over a minute.</summary>
    public static async Task<string> RunAsync(string project)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AssemblyOf(project));
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample {project} did not end within a minute.");
        }

        var text = await output + await errors;
        Assert.True(process.ExitCode == 0, $"The sample {project} exited with {process.ExitCode}:{Environment.NewLine}{text}");
        return text;
    }
}
