using Microsoft.Extensions.Logging;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task A_handler_exception_fails_that_call_and_the_process_keeps_running()
    {
        await using var test = await TestNode.StartAsync();
        var faulty = await test.Node.SpawnAsync<Faulty>();

        await Assert.ThrowsAsync<DivideByZeroException>(() => faulty.DivideAsync(0).AsTask());

        Assert.Equal(50, await faulty.DivideAsync(2));
        Assert.Equal(2, await faulty.HandledAsync());
    }

    [Fact]
    public async Task A_cast_exception_is_logged_and_the_process_keeps_running()
    {
        await using var test = await TestNode.StartAsync();
        var faulty = await test.Node.SpawnAsync<Faulty>();

        faulty.Explode("boom");

        Assert.Equal(1, await faulty.HandledAsync());
        var entry = Assert.Single(test.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Contains("Explode", entry.Message);
        Assert.Equal("boom", entry.Exception?.Message);
    }

    [Fact]
    public async Task A_process_whose_start_hook_throws_is_not_spawned()
    {
        await using var test = await TestNode.StartAsync();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => test.Node.SpawnAsync<Unstartable>());

        Assert.Equal("no resources", exception.Message);
        Assert.Contains(test.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("start hook"));
    }

    [Fact]
    public async Task Process_side_members_fail_clearly_outside_a_running_process()
    {
        await using var test = await TestNode.StartAsync();
        var detached = new Counter(test.Get<ILogger<Counter>>(), test.Get<Journal>());

        var exception = Assert.Throws<InvalidOperationException>(() => detached.Leave("b"));

        Assert.Contains("SpawnAsync", exception.Message);
    }
}
