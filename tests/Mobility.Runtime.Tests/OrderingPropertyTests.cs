using CsCheck;
using Mobility.Tests.Processes;
using Mobility.Tests.Support;

namespace Mobility.Tests;

public sealed class OrderingPropertyTests
{
    /// <summary>
    /// Several senders each send a numbered mix of casts and calls at the same time: every message
    /// is handled exactly once, and each sender's messages in the order it sent them.
    /// </summary>
    [Fact]
    public Task Each_senders_messages_are_handled_exactly_once_and_in_send_order() =>
        Gen.Select(Gen.Int[1, 4], Gen.Bool.Array[1, 60]).SampleAsync(
            async (senders, castOrCall) =>
            {
                await using var test = await TestNode.StartAsync();
                var recorder = await test.Node.SpawnAsync<Recorder>();

                await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
                {
                    for (var i = 0; i < castOrCall.Length; i++)
                    {
                        if (castOrCall[i])
                        {
                            recorder.Note($"{sender}:{i}");
                        }
                        else
                        {
                            await recorder.NoteSlowlyAsync($"{sender}:{i}");
                        }
                    }
                }))).WithDeadline();

                var seen = await recorder.SeenAsync();
                Assert.Equal(senders * castOrCall.Length, seen.Count);
                for (var sender = 0; sender < senders; sender++)
                {
                    var prefix = $"{sender}:";
                    var mine = seen.Where(item => item.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                    Assert.Equal(Enumerable.Range(0, castOrCall.Length).Select(i => $"{prefix}{i}"), mine);
                }
            },
            iter: PropertyRuns.Iterations(defaultCount: 40),
            threads: 1);
}
