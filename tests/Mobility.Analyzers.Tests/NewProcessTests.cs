using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0040: a process created with 'new' instead of MobilityNode.SpawnAsync.</summary>
public sealed class NewProcessTests
{
    [Fact]
    public Task MOB0040_new_of_a_process() => Verifier.AnalyzerAsync<NewProcessAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Get() => 0; }
        public class User
        {
            public int Use() => {|MOB0040:new Counter()|}.Get();
            public Counter Make() => {|MOB0040:new()|};
        }
        """);

    [Fact]
    public Task MOB0040_not_for_spawn_or_other_types() => Verifier.AnalyzerAsync<NewProcessAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Get() => 0; }
        public class User
        {
            public async Task<int> Use(MobilityNode node)
            {
                var counter = await node.SpawnAsync<Counter>();
                var list = new List<ProcessRef<Counter>> { counter };
                return await counter.GetAsync();
            }
        }
        """);
}
