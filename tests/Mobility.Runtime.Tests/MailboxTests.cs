using MemoryPack;
using Mobility.Generated;
using Mobility.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

/// <summary>The mailbox between any number of writers and the one loop that reads it.</summary>
public sealed class MailboxTests
{
    [Fact]
    public void Messages_are_read_in_the_order_they_were_written_across_batches()
    {
        var mailbox = new Mailbox();
        var read = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            mailbox.TryWrite(new Envelope(new Numbered(i)));
            if (i % 3 == 0 && mailbox.TryRead(out var one))
            {
                read.Add(((Numbered)one.Message).Value);
            }
        }

        while (mailbox.TryRead(out var message))
        {
            read.Add(((Numbered)message.Message).Value);
        }

        Assert.Equal(Enumerable.Range(0, 10), read);
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write()
    {
        var mailbox = new Mailbox();
        var waiting = mailbox.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        mailbox.TryWrite(new Envelope(new Numbered(1)));

        Assert.True(await waiting.WithDeadline());
        Assert.True(mailbox.TryRead(out _));
    }

    [Fact]
    public async Task Completion_wakes_a_waiting_reader_with_false_and_refuses_later_writes_but_keeps_earlier_ones()
    {
        var mailbox = new Mailbox();
        var waiting = mailbox.WaitToReadAsync().AsTask();

        Assert.True(mailbox.TryComplete());

        Assert.False(await waiting.WithDeadline());
        Assert.False(mailbox.TryWrite(new Envelope(new Numbered(1))));

        var other = new Mailbox();
        other.TryWrite(new Envelope(new Numbered(7)));
        other.TryComplete();
        Assert.True(await other.WaitToReadAsync());
        Assert.True(other.TryRead(out var kept));
        Assert.Equal(7, ((Numbered)kept.Message).Value);
        Assert.False(await other.WaitToReadAsync());
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_the_next_wait_still_gets_the_next_message()
    {
        var mailbox = new Mailbox();
        using var cancel = new CancellationTokenSource();
        var waiting = mailbox.WaitToReadAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WithDeadline());
        var next = mailbox.WaitToReadAsync().AsTask();
        mailbox.TryWrite(new Envelope(new Numbered(2)));
        Assert.True(await next.WithDeadline());
    }

    [Fact]
    public async Task Writers_on_many_threads_lose_nothing()
    {
        var mailbox = new Mailbox();
        const int writers = 4, each = 20_000;
        var reading = Task.Run(async () =>
        {
            var seen = new int[writers];
            var count = 0;
            while (count < writers * each && await mailbox.WaitToReadAsync())
            {
                while (mailbox.TryRead(out var message))
                {
                    var numbered = (Numbered)message.Message;
                    Assert.Equal(seen[numbered.Writer], numbered.Value); // each writer's order is kept
                    seen[numbered.Writer]++;
                    count++;
                }
            }

            return count;
        });

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < each; i++)
            {
                mailbox.TryWrite(new Envelope(new Numbered(i, w)));
            }
        })));

        Assert.Equal(writers * each, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_numbered_write_stamps_the_envelope_with_the_next_number_even_when_the_mailbox_is_closed()
    {
        var mailbox = new Mailbox();
        long last = 4;
        var first = new Envelope(new Numbered(1), Origin: "a#1");
        Assert.True(mailbox.TryWrite(ref first, ref last));
        Assert.Equal(5, first.Sequence);

        mailbox.TryComplete();
        var refused = new Envelope(new Numbered(2), Origin: "a#1");
        Assert.False(mailbox.TryWrite(ref refused, ref last));
        Assert.Equal(6, refused.Sequence); // its sender sends it on with that number

        Assert.True(mailbox.TryRead(out var read));
        Assert.Equal((5L, "a#1"), (read.Sequence, read.Origin));
    }

    private sealed class Numbered(int value, int writer = 0) : CastMessage
    {
        public int Value { get; } = value;

        public int Writer { get; } = writer;

        public override int HandlerId => 1;

        public override string HandlerName => "Numbered";

        public override void WriteArguments<TBufferWriter>(ref MemoryPackWriter<TBufferWriter> writer)
        {
        }
    }
}
