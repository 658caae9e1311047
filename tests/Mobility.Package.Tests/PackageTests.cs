using System.IO.Compression;
using System.Security;
using System.Xml.Linq;

namespace Mobility.Package.Tests;

/// <summary>
/// The NuGet path, end to end: 'dotnet pack' makes one package, Mobility, into a local folder feed;
/// a fresh consumer project outside the solution references it by PackageReference only, builds
/// (the generator runs: it calls generated extension methods and AddMobileProcesses()), fails to
/// build with a deliberately broken file (an analyzer fires), and runs.
/// </summary>
public sealed class PackageTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    [Fact(Timeout = 600_000)]
    public async Task Package_from_a_local_feed_builds_analyzes_and_runs_a_fresh_consumer()
    {
        var work = Directory.CreateTempSubdirectory("mobility-package-test-").FullName;
        try
        {
            // A unique version and a fresh packages folder: no cached copy of an older package can mask a change.
            var version = "0.0.0-test.t" + Guid.NewGuid().ToString("N");
            var feed = Directory.CreateDirectory(Path.Combine(work, "feed")).FullName;
            var package = await PackAsync(work, feed, version);

            CheckLayout(package, version);

            var consumer = await CreateConsumerAsync(work, feed, version);
            var build = await Dotnet.SucceedAsync(consumer, StepTimeout, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false");
            Assert.DoesNotContain("warning MOB", build, StringComparison.Ordinal);
            foreach (var analyzerLoadFailure in new[] { "CS8032", "CS8034", "CS9057", "AD0001" })
            {
                Assert.DoesNotContain(analyzerLoadFailure, build, StringComparison.Ordinal);
            }

            var run = await Dotnet.SucceedAsync(consumer, StepTimeout, Path.Combine("bin", "Release", "net10.0", "Consumer.dll"));
            Assert.Equal(
                [
                    "Hello, package (guest #1)",
                    "Hi, NuGet (guest #2)",
                    "guest encoded by MemoryPack: True",
                    "stopped",
                ],
                run.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

            File.WriteAllText(Path.Combine(consumer, "Broken.cs"), """
                using Mobility;

                namespace Consumer;

                [MobileProcess]
                public class Broken
                {
                    [Cast] public void Poke() { }
                }
                """);
            var (exitCode, broken) = await Dotnet.RunAsync(consumer, StepTimeout, "build", "-c", "Release", "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false");
            Assert.True(exitCode != 0, "The build with a non-partial [MobileProcess] class succeeded:" + Environment.NewLine + broken);
            Assert.Contains("Broken.cs(6,14): error MOB0001", broken, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind is not a test failure.
            }
        }
    }

    /// <summary>Packs a copy of the product sources (so this never races the solution's own build outputs).</summary>
    private static async Task<string> PackAsync(string work, string feed, string version)
    {
        var root = RepositoryRoot();
        var sources = Directory.CreateDirectory(Path.Combine(work, "src")).FullName;
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md" })
        {
            File.Copy(Path.Combine(root, file), Path.Combine(sources, file));
        }

        foreach (var project in new[] { "Mobility.Runtime", "Mobility.Generators", "Mobility.Analyzers" })
        {
            CopySources(Path.Combine(root, project), Path.Combine(sources, project));
        }

        await Dotnet.SucceedAsync(sources, StepTimeout,
            "pack", Path.Combine("Mobility.Runtime", "Mobility.Runtime.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}",
            "--disable-build-servers", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        var packages = Directory.GetFiles(feed, "*.nupkg");
        Assert.Equal([Path.Combine(feed, $"Mobility.{version}.nupkg")], packages);
        return packages[0];
    }

    /// <summary>One package: runtime and docs in lib/net10.0, the Roslyn components in analyzers/dotnet/cs, README, MIT, dependencies.</summary>
    private static void CheckLayout(string package, string version)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(entry => entry.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[]
        {
            "lib/net10.0/Mobility.Runtime.dll",
            "lib/net10.0/Mobility.Runtime.xml",
            "analyzers/dotnet/cs/Mobility.Generators.dll",
            "analyzers/dotnet/cs/Mobility.Analyzers.dll",
            "analyzers/dotnet/cs/Mobility.Analyzers.CodeFixes.dll",
            "README.md",
        })
        {
            Assert.Contains(expected, entries);
        }

        Assert.DoesNotContain(entries, entry => entry.StartsWith("lib/netstandard", StringComparison.Ordinal));

        using var nuspecStream = zip.GetEntry("Mobility.nuspec")!.Open();
        var nuspec = XDocument.Load(nuspecStream);
        var ns = nuspec.Root!.GetDefaultNamespace();
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("Mobility", metadata.Element(ns + "id")!.Value);
        Assert.Equal(version, metadata.Element(ns + "version")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("expression", metadata.Element(ns + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var dependencies = metadata.Descendants(ns + "dependency").Select(dependency => dependency.Attribute("id")!.Value).ToArray();
        Assert.Contains("MemoryPack", dependencies);
        Assert.Contains("Microsoft.Extensions.DependencyInjection", dependencies);
        Assert.Contains("Microsoft.Extensions.Logging.Abstractions", dependencies);
        Assert.All(dependencies, dependency => Assert.True(
            dependency == "MemoryPack" || dependency.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal),
            $"Unexpected dependency '{dependency}'."));
    }

    /// <summary>
    /// A console project in its own folder, shielded from any Directory.*.props above it, with its own
    /// nuget.config (the local feed plus this machine's enabled sources, after a clear) and its own
    /// packages folder (the machine's global folder serves only as a read-only fallback).
    /// </summary>
    private static async Task<string> CreateConsumerAsync(string work, string feed, string version)
    {
        var consumer = Directory.CreateDirectory(Path.Combine(work, "consumer")).FullName;
        var sources = await EnabledSourcesAsync(consumer);
        var globalPackages = await GlobalPackagesFolderAsync(consumer);

        File.WriteAllText(Path.Combine(consumer, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
            {string.Join(Environment.NewLine, sources.Select((source, i) => $"    <add key=\"source{i}\" value=\"{SecurityElement.Escape(source)}\" />"))}
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <NuGetAudit>false</NuGetAudit>
                <RestorePackagesPath>{SecurityElement.Escape(Path.Combine(work, "packages"))}</RestorePackagesPath>
                <RestoreAdditionalProjectFallbackFolders>{SecurityElement.Escape(globalPackages)}</RestoreAdditionalProjectFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Mobility" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Greeter.cs"), """
            using MemoryPack;
            using Mobility;

            namespace Consumer;

            [MemoryPackable]
            public partial record Guest(string Name, int Visits);

            [MobileProcess]
            public partial class Greeter
            {
                private string _greeting = "Hello";
                private readonly List<Guest> _guests = new();

                [Call]
                public string Greet(Guest guest)
                {
                    _guests.Add(guest);
                    return $"{_greeting}, {guest.Name} (guest #{_guests.Count})";
                }

                [Cast]
                public void Rename(string greeting) => _greeting = greeting;
            }
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using Consumer;
            using MemoryPack;
            using Microsoft.Extensions.DependencyInjection;
            using Mobility;

            await using var services = new ServiceCollection()
                .AddMobility(options => options.NodeName = "consumer")
                .AddMobileProcesses()
                .BuildServiceProvider();
            var node = services.GetRequiredService<MobilityNode>();
            await node.StartAsync();

            var greeter = await node.SpawnAsync<Greeter>();
            Console.WriteLine(await greeter.GreetAsync(new Guest("package", 1)));
            greeter.Rename("Hi");
            Console.WriteLine(await greeter.GreetAsync(new Guest("NuGet", 2)));
            Console.WriteLine($"guest encoded by MemoryPack: {MemoryPackSerializer.Serialize(new Guest("x", 1)).Length > 0}");
            await greeter.StopAsync();
            Console.WriteLine("stopped");
            """);
        return consumer;
    }

    /// <summary>The package sources this machine has enabled ("E url" lines), as the consumer's second source.</summary>
    private static async Task<string[]> EnabledSourcesAsync(string directory)
    {
        var output = await Dotnet.SucceedAsync(directory, StepTimeout, "nuget", "list", "source", "--format", "short");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToArray();
    }

    private static async Task<string> GlobalPackagesFolderAsync(string directory)
    {
        var output = await Dotnet.SucceedAsync(directory, StepTimeout, "nuget", "locals", "global-packages", "--list");
        const string Prefix = "global-packages:";
        var line = output.Split('\n').Select(text => text.Trim()).Single(text => text.StartsWith(Prefix, StringComparison.Ordinal));
        return line[Prefix.Length..].Trim();
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopySources(directory, Path.Combine(to, name));
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mobility.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Mobility.slnx above {AppContext.BaseDirectory}.");
    }
}
