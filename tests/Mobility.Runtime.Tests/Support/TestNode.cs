using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mobility.Tests.Support;

/// <summary>A started single node with the test assembly's processes and a log that tests can read.</summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestNode(ServiceProvider services, ListLoggerProvider logs)
    {
        _services = services;
        Logs = logs;
        Node = services.GetRequiredService<MobilityNode>();
    }

    public MobilityNode Node { get; }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _services;

    public static async Task<TestNode> StartAsync(Action<MobilityOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var logs = new ListLoggerProvider();
        var collection = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton<Journal>()
            .AddSingleton<Gate>()
            .AddMobility(options =>
            {
                options.NodeName = "test";
                configure?.Invoke(options);
            })
            .AddMobileProcesses();
        services?.Invoke(collection);
        var node = new TestNode(collection.BuildServiceProvider(), logs);
        await node.Node.StartAsync();
        return node;
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
