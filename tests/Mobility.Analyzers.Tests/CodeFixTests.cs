using Mobility.Analyzers.CodeFixes;
using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>Every code fix, before and after.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public Task Make_partial_adds_partial_to_the_class() => Verifier.CodeFixAsync<ProcessDeclarationAnalyzer, MakePartialCodeFix>(
        """
        using Mobility;

        [MobileProcess]
        public sealed class {|MOB0001:Counter|}
        {
            [Cast] public void M() { }
        }
        """,
        """
        using Mobility;

        [MobileProcess]
        public sealed partial class Counter
        {
            [Cast] public void M() { }
        }
        """);

    [Fact]
    public Task Make_partial_adds_partial_to_the_class_and_its_containing_types() => Verifier.CodeFixAsync<ProcessDeclarationAnalyzer, MakePartialCodeFix>(
        """
        using Mobility;

        class {|MOB0001:Outer|}
        {
            public static class {|MOB0001:Middle|}
            {
                [MobileProcess]
                internal class {|MOB0001:Counter|} { }
            }
        }
        """,
        """
        using Mobility;

        partial class Outer
        {
            public static partial class Middle
            {
                [MobileProcess]
                internal partial class Counter { }
            }
        }
        """);

    [Fact]
    public Task Mark_transient_marks_a_resource_field() => Verifier.CodeFixAsync<ProcessStateAnalyzer, MarkTransientCodeFix>(
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter
        {
            private int _count;
            // The file the process appends to.
            private readonly Stream {|MOB0013:_log|} = Stream.Null;
        }
        """,
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter
        {
            private int _count;
            // The file the process appends to.
            [Transient]
            private readonly Stream _log = Stream.Null;
        }
        """);

    [Fact]
    public Task Mark_transient_marks_a_property_after_its_attributes_and_qualifies_without_using() => Verifier.CodeFixAsync<ProcessStateAnalyzer, MarkTransientCodeFix>(
        """
        [Mobility.MobileProcess]
        public partial class Counter
        {
            [System.Obsolete]
            public object? {|MOB0011:Cache|} { get; set; }
        }
        """,
        """
        [Mobility.MobileProcess]
        public partial class Counter
        {
            [System.Obsolete]
            [global::Mobility.Transient]
            public object? Cache { get; set; }
        }
        """);

    [Fact]
    public Task Spawn_replaces_new_in_an_async_method_with_a_node_in_scope() => Verifier.CodeFixAsync<NewProcessAnalyzer, SpawnInsteadOfNewCodeFix>(
        """
        using Microsoft.Extensions.Logging;
        using Mobility;

        [MobileProcess]
        public partial class Counter
        {
            public Counter(ILogger<Counter> log) { }
            [Call] public int Get() => 0;
        }

        public class User
        {
            public async Task<int> UseAsync(MobilityNode node, ILogger<Counter> log)
            {
                var counter = {|MOB0040:new Counter(log)|};
                Console.WriteLine(counter);
                return 0;
            }
        }
        """,
        """
        using Microsoft.Extensions.Logging;
        using Mobility;

        [MobileProcess]
        public partial class Counter
        {
            public Counter(ILogger<Counter> log) { }
            [Call] public int Get() => 0;
        }

        public class User
        {
            public async Task<int> UseAsync(MobilityNode node, ILogger<Counter> log)
            {
                var counter = await node.SpawnAsync<Counter>();
                Console.WriteLine(counter);
                return 0;
            }
        }
        """);

    [Fact]
    public Task Spawn_uses_a_node_field_and_parenthesizes_when_needed() => Verifier.CodeFixAsync<NewProcessAnalyzer, SpawnInsteadOfNewCodeFix>(
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter { [Call] public int Get() => 0; }

        public class User
        {
            private readonly MobilityNode _node;
            public User(MobilityNode node) => _node = node;
            public async Task<string> UseAsync() { await Task.Yield(); return {|MOB0040:new Counter()|}.ToString(); }
        }
        """,
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter { [Call] public int Get() => 0; }

        public class User
        {
            private readonly MobilityNode _node;
            public User(MobilityNode node) => _node = node;
            public async Task<string> UseAsync() { await Task.Yield(); return (await _node.SpawnAsync<Counter>()).ToString(); }
        }
        """);

    [Fact]
    public Task Spawn_is_not_offered_without_a_node_or_outside_async_code() => Verifier.CodeFixAsync<NewProcessAnalyzer, SpawnInsteadOfNewCodeFix>(
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter { [Call] public int Get() => 0; }

        public class User
        {
            public async Task<Counter> WithoutNodeAsync() { await Task.Yield(); return {|MOB0040:new Counter()|}; }
            public Counter NotAsync(MobilityNode node) => {|MOB0040:new Counter()|};
        }
        """,
        """
        using Mobility;

        [MobileProcess]
        public partial class Counter { [Call] public int Get() => 0; }

        public class User
        {
            public async Task<Counter> WithoutNodeAsync() { await Task.Yield(); return {|MOB0040:new Counter()|}; }
            public Counter NotAsync(MobilityNode node) => {|MOB0040:new Counter()|};
        }
        """);
}
