using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Monitoring;

/// <summary>
/// References bound to a chosen node. A process's Monitor and Link requests leave from its own node, so a message sent
/// from that same node afterwards reaches the target after them (per-sender order); a message sent from elsewhere may not.
/// </summary>
internal static class Seen
{
    public static async Task<ProcessRef<Sentinel>> From(TestNode node, ProcessRef<Sentinel> process)
    {
        var name = $"seen-{process.Id}";
        await process.RegisterAsync(name);
        return (await node.Node.WhereIsAsync<Sentinel>(name))!;
    }
}
