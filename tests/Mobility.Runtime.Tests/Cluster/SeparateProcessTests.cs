using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

public sealed class SeparateProcessTests
{
    [Fact]
    public async Task A_process_moves_between_nodes_in_two_OS_processes_and_keeps_its_state()
    {
        await using var a = ChildNode.Start("--node", "a", "--port", "0");
        var port = PortOf(await a.ExpectAsync("listens on"));
        await using var b = ChildNode.Start("--node", "b", "--port", "0", "--join", $"127.0.0.1:{port}");
        await b.ExpectAsync("joined the cluster through node 'a'");

        await a.SendAsync("spawn");
        await a.ExpectAsync("spawned");
        await a.SendAsync("add 5");
        await a.ExpectAsync("count = 5");
        await a.SendAsync("send-me b");
        await a.ExpectAsync("moved to 'b'");

        await b.SendAsync("state");
        await b.ExpectAsync("count=5, journal=[add 5] (running on node 'b')");
        await a.SendAsync("add 1");
        await a.ExpectAsync("count = 6");
        await b.SendAsync("send-me a");
        await b.ExpectAsync("moved to 'a'");
        await a.SendAsync("state");
        await a.ExpectAsync("count=6, journal=[add 5, add 1] (running on node 'a')");
    }

    [Fact]
    public async Task A_process_moves_over_TCP_to_a_separate_cluster_in_another_OS_process_and_back()
    {
        await using var a = ChildNode.Start("--node", "a", "--port", "0", "--cookie", "cluster-a");
        await using var b = ChildNode.Start("--node", "b", "--port", "0", "--cookie", "cluster-b");
        var portA = PortOf(await a.ExpectAsync("listens on"));
        var portB = PortOf(await b.ExpectAsync("listens on"));

        await a.SendAsync("spawn");
        await a.ExpectAsync("spawned");
        await a.SendAsync("add 5");
        await a.ExpectAsync("count = 5");
        await a.SendAsync($"send-me tcp 127.0.0.1 {portB}");
        await a.ExpectAsync($"moved to tcp://127.0.0.1:{portB}");

        await a.SendAsync("state"); // by its name in cluster a, answered from cluster b
        await a.ExpectAsync("count=5, journal=[add 5] (running on node 'b')");
        await a.SendAsync("add 1");
        await a.ExpectAsync("count = 6");
        await a.SendAsync($"send-me tcp 127.0.0.1 {portA}");
        await a.ExpectAsync($"moved to tcp://127.0.0.1:{portA}");
        await a.SendAsync("state");
        await a.ExpectAsync("count=6, journal=[add 5, add 1] (running on node 'a')");
    }

    private static string PortOf(string listening) =>
        listening.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(word => word.StartsWith("127.0.0.1:", StringComparison.Ordinal))[10..^1];
}
