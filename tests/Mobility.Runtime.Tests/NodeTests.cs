using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class NodeTests
{
    [Fact]
    public async Task Spawning_on_a_node_that_is_not_started_fails_clearly()
    {
        await using var services = new ServiceCollection().AddMobility().AddMobileProcesses().BuildServiceProvider();
        var node = services.GetRequiredService<MobilityNode>();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => node.SpawnAsync<Counter>());

        Assert.Contains("StartAsync", exception.Message);
    }

    [Fact]
    public async Task A_node_only_instantiates_registered_process_types()
    {
        await using var services = new ServiceCollection().AddMobility().AddMobileProcess<Recorder>().BuildServiceProvider();
        var node = services.GetRequiredService<MobilityNode>();
        await node.StartAsync();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => node.SpawnAsync<Counter>());

        Assert.Contains("AddMobileProcesses()", exception.Message);
    }

    [Fact]
    public async Task A_stopped_node_does_not_start_again()
    {
        await using var test = await TestNode.StartAsync();
        await test.Node.StartAsync(); // starting a running node is harmless

        await test.Node.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => test.Node.StartAsync());
    }

    [Fact]
    public void Invalid_options_are_reported_when_the_node_is_built()
    {
        using var services = new ServiceCollection().AddMobility(options => options.NodeName = "").BuildServiceProvider();

        var exception = Assert.Throws<ArgumentException>(() => services.GetRequiredService<MobilityNode>());

        Assert.Contains("NodeName", exception.Message);
    }

    [Fact]
    public async Task The_node_runs_as_a_hosted_service()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<Journal>().AddMobility(options => options.NodeName = "hosted").AddMobileProcesses();
        using var host = builder.Build();

        await host.StartAsync();
        var node = host.Services.GetRequiredService<MobilityNode>();
        var counter = await node.SpawnAsync<Counter>();
        Assert.Equal(2, await counter.IncrementAsync(2));
        await host.StopAsync();

        Assert.Equal("hosted", node.Name);
        Assert.Contains("stopping at 2", host.Services.GetRequiredService<Journal>().Entries);
        await Assert.ThrowsAsync<ProcessStoppedException>(() => counter.IncrementAsync(1).AsTask());
    }

    [Fact]
    public void Adding_mobility_twice_keeps_one_node()
    {
        using var services = new ServiceCollection().AddMobility().AddMobility().AddMobileProcesses().AddMobileProcesses().BuildServiceProvider();

        Assert.Single(services.GetServices<IHostedService>());
        Assert.Same(services.GetRequiredService<MobilityNode>(), services.GetRequiredService<MobilityNode>());
    }
}
