using Verifier = Mobility.Analyzers.Tests.Verify;

namespace Mobility.Analyzers.Tests;

/// <summary>MOB0060 (a process monitors or links itself) and MOB0061 (a ProcessMonitor discarded).</summary>
public sealed class MonitoringTests
{
    [Fact]
    public Task MOB0060_monitor_or_link_of_Self() => Verifier.AnalyzerAsync<MonitoringAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Watcher
        {
            [Call] public MonitorRef WatchMyself() => {|MOB0060:Monitor(Self)|};
            [Cast] public void LinkMyself() => {|MOB0060:this.Link(this.Self)|};
        }
        """);

    [Fact]
    public Task MOB0060_not_for_other_processes() => Verifier.AnalyzerAsync<MonitoringAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Watcher
        {
            [Call] public MonitorRef Watch(ProcessRef<Watcher> other) => Monitor(other);
            [Cast] public void Tie(ProcessRef<Watcher> other) => Link(other);
            [Cast] public void Untie(ProcessRef<Watcher> other) => Unlink(other);
        }
        """);

    [Fact]
    public Task MOB0061_discarded_monitor() => Verifier.AnalyzerAsync<MonitoringAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Get() => 0; }
        public class User
        {
            public async Task Use(MobilityNode node, ProcessRef<Counter> counter)
            {
                await {|MOB0061:node.MonitorAsync(counter)|};
                _ = await {|MOB0061:counter.MonitorAsync()|};
            }
        }
        """);

    [Fact]
    public Task MOB0061_not_for_a_kept_monitor() => Verifier.AnalyzerAsync<MonitoringAnalyzer>("""
        using Mobility;
        [MobileProcess] public partial class Counter { [Call] public int Get() => 0; }
        public class User
        {
            public async Task<Down> Use(MobilityNode node, ProcessRef<Counter> counter)
            {
                await using var monitor = await node.MonitorAsync(counter);
                var other = await counter.MonitorAsync();
                other.Dispose();
                return await monitor.Down;
            }
        }
        """);
}
