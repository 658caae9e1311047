using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public async Task A_restored_snapshot_answers_like_the_original_except_for_transient_members()
    {
        await using var test = await TestNode.StartAsync();
        var audit = await test.Node.SpawnAsync<Counter>();
        var original = await test.Node.SpawnAsync<Inventory>();
        await original.AddAsync(new Item("apple", 3, 0.5m), Guid.NewGuid());
        await original.AddAsync(new Item("pear", 1, 1.25m), Guid.NewGuid());
        await original.ConfigureAsync("ops", audit, [0xCA, 0xFE]);

        var snapshot = await test.Node.SnapshotAsync(original);
        var restored = (ProcessRef<Inventory>)await test.Node.RestoreAsync(snapshot, ProcessId.New(), arrival: null);

        var before = await original.DescribeAsync();
        var after = await restored.DescribeAsync();
        Assert.NotEqual(original, restored);
        Assert.Equal(before.Replace("cacheHits=2", "cacheHits=0", StringComparison.Ordinal), after);
        Assert.Equal(5, await restored.AuditAsync(5)); // the ProcessRef in its state still reaches the audit counter
    }

    [Fact]
    public async Task A_snapshot_restored_on_another_node_gets_that_nodes_services()
    {
        await using var source = await TestNode.StartAsync();
        await using var destination = await TestNode.StartAsync(options => options.NodeName = "other");
        var counter = await source.Node.SpawnAsync<Counter>();
        await counter.RenameAsync("travelling");
        await counter.IncrementAsync(12);

        var snapshot = await source.Node.SnapshotAsync(counter);
        var restored = (ProcessRef<Counter>)await destination.Node.RestoreAsync(
            snapshot, snapshot.Id, new MigrationInfo("test", Destination.Node("other")));
        await restored.WriteJournalAsync("hello from the copy");

        Assert.Equal("travelling: 12 [+12]", await restored.DescribeAsync());
        Assert.Contains("hello from the copy", destination.Get<Journal>().Entries);
        Assert.DoesNotContain("hello from the copy", source.Get<Journal>().Entries);
        Assert.Contains("arrived from test", destination.Get<Journal>().Entries);
    }

    [Fact]
    public async Task Names_travel_in_the_snapshot()
    {
        await using var source = await TestNode.StartAsync();
        await using var destination = await TestNode.StartAsync(options => options.NodeName = "other");
        var counter = await source.Node.SpawnAsync<Counter>();
        await counter.RegisterAsync("travelling");

        var snapshot = await source.Node.SnapshotAsync(counter);
        var restored = await destination.Node.RestoreAsync(snapshot, snapshot.Id, arrival: null);

        Assert.Equal(["travelling"], snapshot.Names);
        Assert.Equal(restored, await destination.Node.WhereIsAsync<Counter>("travelling"));
    }

    [Fact]
    public async Task The_snapshot_is_taken_between_two_messages()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        var increments = Enumerable.Range(0, 100).Select(_ => counter.IncrementAsync(1).AsTask()).ToArray();

        var snapshot = await test.Node.SnapshotAsync(counter);
        await Task.WhenAll(increments).WithDeadline();

        var restored = (ProcessRef<Counter>)await test.Node.RestoreAsync(snapshot, ProcessId.New(), arrival: null);
        Assert.Equal(100, await restored.IncrementAsync(0)); // queued before the snapshot, so all handled before it
    }

    [Fact]
    public async Task State_written_by_another_type_is_rejected_and_nothing_is_spawned()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        var snapshot = await test.Node.SnapshotAsync(counter);
        var corrupt = snapshot with { State = [0xFF, 0x01, 0x02] };

        await Assert.ThrowsAsync<InvalidDataException>(() => test.Node.RestoreAsync(corrupt, ProcessId.New(), arrival: null));
    }

    [Fact]
    public async Task A_snapshot_of_a_type_the_node_does_not_know_is_refused()
    {
        await using var test = await TestNode.StartAsync();
        var counter = await test.Node.SpawnAsync<Counter>();
        var snapshot = await test.Node.SnapshotAsync(counter) with { TypeId = "Evil.Payload" };

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => test.Node.RestoreAsync(snapshot, ProcessId.New(), arrival: null));

        Assert.Contains("Evil.Payload", exception.Message);
    }
}
