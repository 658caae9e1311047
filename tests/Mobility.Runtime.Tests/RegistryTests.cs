using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class RegistryTests
{
    [Fact]
    public async Task A_registered_name_finds_its_process()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        await counter.RegisterAsync("counter");

        var found = await test.Node.WhereIsAsync<Counter>("counter");
        Assert.Equal(counter, found);
        Assert.Equal(1, await found!.IncrementAsync(1));
    }

    [Fact]
    public async Task An_unknown_name_finds_nothing()
    {
        await using var test = await TestNode.StartAsync();

        Assert.Null(await test.Node.WhereIsAsync<Counter>("nobody"));
    }

    [Fact]
    public async Task A_process_registers_itself_from_inside_a_handler()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        await counter.ClaimAsync("from-inside");

        Assert.Equal(counter, await test.Node.WhereIsAsync<Counter>("from-inside"));
    }

    [Fact]
    public async Task A_name_held_by_another_process_cannot_be_registered()
    {
        await using var test = await TestNode.StartAsync();
        var holder = await test.Node.SpawnAsync<Counter>();
        var other = await test.Node.SpawnAsync<Counter>();
        await holder.RegisterAsync("taken");

        var fromOutside = await Assert.ThrowsAsync<NameAlreadyRegisteredException>(() => other.RegisterAsync("taken"));
        var fromInside = await Assert.ThrowsAsync<NameAlreadyRegisteredException>(() => other.ClaimAsync("taken").AsTask());

        Assert.Equal(holder.Id, fromOutside.Holder);
        Assert.Equal("taken", fromInside.Name);
        Assert.Equal(holder, await test.Node.WhereIsAsync<Counter>("taken"));
        Assert.Equal(1, await other.IncrementAsync(1)); // the refused process keeps running
    }

    [Fact]
    public async Task Registering_a_name_twice_from_the_same_process_is_harmless()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();

        await counter.RegisterAsync("mine");
        await counter.RegisterAsync("mine");

        Assert.Equal(counter, await test.Node.WhereIsAsync<Counter>("mine"));
    }

    [Fact]
    public async Task Names_are_released_when_their_process_stops()
    {
        await using var test = await TestNode.StartAsync();
        var first = await test.Node.SpawnAsync<Counter>();
        await first.RegisterAsync("a");
        await first.RegisterAsync("b");

        await first.StopAsync();

        Assert.Null(await test.Node.WhereIsAsync<Counter>("a"));
        var second = await test.Node.SpawnAsync<Counter>();
        await second.RegisterAsync("a");
        Assert.Equal(second, await test.Node.WhereIsAsync<Counter>("a"));
    }

    [Fact]
    public async Task Looking_a_name_up_as_the_wrong_type_fails_clearly()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("counter");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => test.Node.WhereIsAsync<Recorder>("counter").AsTask());

        Assert.Contains("Mobility.Tests.Processes.Recorder", exception.Message);
    }
}
