using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Mobility.Generators.Tests;

/// <summary>
/// Handler ids are FNV-1a (32 bits) of <c>Name(FullyQualifiedParameterTypes)</c>, masked positive:
/// the same on every node that has the same handler, whatever the order of the class's members.
/// </summary>
public sealed partial class HandlerIdTests
{
    [Theory]
    [InlineData("Increment", "Increment(int)")]
    [InlineData("Reset", "Reset()")]
    [InlineData("Describe", "Describe()")] // the trailing CancellationToken is not part of the id
    [InlineData("Rename", "Rename(string)")]
    public void Handler_id_is_the_masked_FNV_1a_hash_of_the_signature(string handler, string signature)
    {
        var ids = HandlerIds(GeneratorHarness.Run(Scenarios.Counter).Source("Demo.Counter.Mobility.g.cs"));

        Assert.Equal(ExpectedId(signature), ids[handler]);
    }

    [Fact]
    public void Parameter_types_enter_the_id_fully_qualified()
    {
        const string source = """
            using Mobility;
            namespace Demo;
            [MobileProcess]
            public partial class Store
            {
                [Call] public int Put(List<string> items, Guid key, int? count) => 0;
            }
            """;

        var ids = HandlerIds(GeneratorHarness.Run(source).Source("Demo.Store.Mobility.g.cs"));

        Assert.Equal(ExpectedId("Put(global::System.Collections.Generic.List<string>,global::System.Guid,int?)"), ids["Put"]);
    }

    [Fact]
    public void Handler_ids_do_not_change_when_members_are_reordered()
    {
        const string first = """
            using Mobility;
            namespace Demo;
            [MobileProcess]
            public partial class Shuffled
            {
                [Call] public int A(int x) => x;
                [Cast] public void B(string y) { }
                private int _state;
                [Call] public Task C() => Task.CompletedTask;
                public int State => _state;
            }
            """;
        const string second = """
            using Mobility;
            namespace Demo;
            [MobileProcess]
            public partial class Shuffled
            {
                public int State => _state;
                [Call] public Task C() => Task.CompletedTask;
                private int _state;
                [Cast] public void B(string y) { }
                [Call] public int A(int x) => x;
            }
            """;

        var before = HandlerIds(GeneratorHarness.Run(first).Source("Demo.Shuffled.Mobility.g.cs"));
        var after = HandlerIds(GeneratorHarness.Run(second).Source("Demo.Shuffled.Mobility.g.cs"));

        Assert.Equal(3, before.Count);
        Assert.Equal(before.OrderBy(pair => pair.Key), after.OrderBy(pair => pair.Key));
    }

    [Fact]
    public void Every_handler_id_is_positive()
    {
        var ids = HandlerIds(GeneratorHarness.Run(Scenarios.ReturnKinds).Source("Demo.Kinds.Mobility.g.cs"));

        Assert.Equal(11, ids.Count);
        Assert.All(ids.Values, id => Assert.True(id > 0));
        Assert.Equal(ids.Count, ids.Values.Distinct().Count());
    }

    /// <summary>The reference implementation the generator must agree with.</summary>
    private static int ExpectedId(string signature)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(signature))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        var id = (int)(hash & 0x7FFFFFFF);
        return id == 0 ? 1 : id;
    }

    /// <summary>The ids the generated message classes declare, by handler name.</summary>
    private static Dictionary<string, int> HandlerIds(string generated)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in MessageIdPattern().Matches(generated))
        {
            ids.Add(match.Groups["name"].Value, int.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture));
        }

        return ids;
    }

    [GeneratedRegex(@"HandlerId => (?<id>\d+);\s*public override string HandlerName => ""(?<name>[^""]+)"";")]
    private static partial Regex MessageIdPattern();
}
