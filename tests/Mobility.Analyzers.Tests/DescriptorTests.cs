using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Mobility.Analyzers.Tests;

/// <summary>Every diagnostic is complete, reported by an analyzer, and listed in the release tracking and the README.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Ids => [.. All().Select(descriptor => descriptor.Id)];

    [Fact]
    public void Ids_are_unique_and_every_one_is_reported_by_an_analyzer()
    {
        var ids = All().Select(descriptor => descriptor.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var supported = TestProject.AllAnalyzers().SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(descriptor => descriptor.Id).Order(StringComparer.Ordinal);
        Assert.Equal(ids.Order(StringComparer.Ordinal), supported);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Diagnostic_has_title_message_help_and_category_and_is_listed(string id)
    {
        var descriptor = All().Single(candidate => candidate.Id == id);
        Assert.Matches("^MOB[0-9]{4}$", descriptor.Id);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.StartsWith("Mobility.", descriptor.Category, StringComparison.Ordinal);
        Assert.Equal("README.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        Assert.True(descriptor.IsEnabledByDefault);

        var root = OwnCodeTests.RepositoryRoot();
        var releases = File.ReadAllLines(Path.Combine(root, "Mobility.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(releases, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));

        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.Contains($"| <a id=\"{id.ToLowerInvariant()}\"></a>{id} | {descriptor.DefaultSeverity} |", readme, StringComparison.Ordinal);
    }

    private static IEnumerable<DiagnosticDescriptor> All() =>
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!);
}
