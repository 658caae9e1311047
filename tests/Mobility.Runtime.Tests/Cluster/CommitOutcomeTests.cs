using Mobility.Migration;
using Mobility.Transport.Faults;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests.Cluster;

/// <summary>
/// A commit is decided by what the destination answers, not assumed: a destination that no longer holds the offered
/// copy says so, the move rolls back, and whatever reached that copy comes back to the process — never dropped.
/// </summary>
public sealed class CommitOutcomeTests
{
    [Fact]
    public async Task A_commit_the_destination_can_no_longer_honour_rolls_the_move_back()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var counter = await a.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);
        a.Migration.OnStep = (step, id) =>
        {
            if (step == MigrationStep.OfferAccepted)
            {
                b.Migration.Abort(new AbortMessage(id.ToGuid())); // the destination drops its copy before the commit comes
            }

            return Task.CompletedTask;
        };

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("b")));

        Assert.Equal(MigrationFailureReason.Discarded, exception.Reason);
        Assert.Equal(6, await counter.IncrementAsync(1)); // at the source, with its state
        Assert.Null(b.Context.Routes.Find(counter.Id)?.Local);
        Assert.DoesNotContain(cluster[1].Get<Journal>().Entries, entry => entry.StartsWith("arrived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task What_reached_a_discarded_copy_is_sent_back_to_the_process()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b, c) = (cluster[0].Node, cluster[1].Node, cluster[2].Node);
        var counter = await a.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);
        var fromC = new ProcessRef<Counter>(counter.Id, b.Name, c.Router); // c believes it lives on b already
        Task<int>? sentDuringTheMove = null;
        a.Migration.OnStep = async (step, id) =>
        {
            if (step != MigrationStep.DirectoryPointed)
            {
                return;
            }

            // The directory points at b: c's call reaches b's inactive copy and waits there...
            sentDuringTheMove = fromC.IncrementAsync(1).AsTask();
            await Wait.UntilAsync(() => b.Context.Routes.Find(id)?.Local is { Unread: > 0 }, "c's call waits at b's inactive copy");

            // ... which b then drops: the commit finds nothing to activate.
            b.Migration.Abort(new AbortMessage(id.ToGuid()));
        };

        await Assert.ThrowsAsync<MigrationFailedException>(() => counter.SendMeAsync(Destination.Node("b")));

        Assert.Equal(6, await sentDuringTheMove!.WithDeadline()); // handled once, at a, after the rollback
        Assert.Equal(7, await counter.IncrementAsync(1));
        Assert.Equal("counter: 7 [+5 +1 +1]", await counter.DescribeAsync());
    }

    [Fact]
    public async Task A_commit_whose_answer_is_late_is_decided_by_asking_the_destination_not_by_the_connection()
    {
        var faults = new FaultInjector();
        await using var cluster = await TestCluster.StartAsync(2, options =>
        {
            options.Faults = faults;
            options.MigrationTimeout = TimeSpan.FromMilliseconds(300);
        });
        var (a, b) = (cluster[0].Node, cluster[1].Node);
        var counter = await a.SpawnAsync<Counter>();
        await counter.IncrementAsync(5);
        a.Migration.OnStep = (step, id) =>
        {
            if (step == MigrationStep.DirectoryPointed)
            {
                b.Migration.Abort(new AbortMessage(id.ToGuid())); // b will not activate it...
                faults.Link("b", "a").Delay(TimeSpan.FromMilliseconds(900)); // ... and its answers come late: a is in doubt
            }

            return Task.CompletedTask;
        };

        var moving = counter.SendMeAsync(Destination.Node("b"));
        await Wait.UntilAsync(
            () => cluster[0].Logs.Entries.Any(entry => entry.Message.Contains("was not confirmed", StringComparison.Ordinal)),
            "a's commit goes unanswered in time");
        faults.Heal("b", "a"); // a's questions get answers again

        var exception = await Assert.ThrowsAsync<MigrationFailedException>(() => moving.WithDeadline());

        Assert.Equal(MigrationFailureReason.Discarded, exception.Reason); // b said so; the connection being up decided nothing
        Assert.Equal(6, await counter.IncrementAsync(1));
        Assert.NotNull(a.Context.Routes.Find(counter.Id)?.Local);
    }
}
