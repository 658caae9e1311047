using System.Collections.Concurrent;
using Mobility.Processes;

namespace Mobility.Processes;

/// <summary>This node's routes, one per process it hosts, hosted, or sent to.</summary>
internal sealed class ProcessRoutes
{
    private readonly ConcurrentDictionary<ProcessId, Route> _routes = new();

    public Route For(ProcessRef process)
    {
        if (process.RouteCache is { } cached)
        {
            return cached;
        }

        var route = For(process.Id);
        process.RouteCache = route;
        return route;
    }

    public Route For(ProcessId id) => _routes.GetOrAdd(id, static id => new Route(id));

    public Route? Find(ProcessId id) => _routes.TryGetValue(id, out var route) ? route : null;

    public IEnumerable<LocalProcess> Local => _routes.Values.Select(route => route.Local).OfType<LocalProcess>();

    public IEnumerable<Route> All => _routes.Values;
}
