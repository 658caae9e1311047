using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Mobility.Transport.Tests.Support;

namespace Mobility.Transport.Tests;

public sealed class FuzzTests
{
    private const int Inputs = 300;
    private const int Seed = 20_251_125;

    [Fact]
    public async Task Hostile_inputs_never_crash_the_listener_each_closes_with_a_logged_reason_and_a_good_client_is_served_after_them()
    {
        await using var server = TestServer.Start();
        byte[] recorded = await Raw.RecordClientHandshakeAsync(server, "recorded");
        await server.NextConnectionAsync();
        List<FuzzInput> inputs = Generate(new Random(Seed), recorded);
        var clock = Stopwatch.StartNew();

        using var parallelism = new SemaphoreSlim(4);
        var runs = new List<Task>();
        foreach (FuzzInput input in inputs)
        {
            await parallelism.WaitAsync();
            runs.Add(Task.Run(async () =>
            {
                try
                {
                    await FeedAsync(server, input);
                }
                finally
                {
                    parallelism.Release();
                }
            }));
        }

        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the fuzz run took {clock.Elapsed}");
        await Wait.UntilAsync(() => server.Listener.ConnectionCount == 0, "every fuzzed connection to be released");
        int handshakesFailed = inputs.Count(input => !input.Authenticated);
        int connectionsClosed = inputs.Count(input => input.Authenticated) + 1;
        await Wait.UntilAsync(() => Count(server, 111) == handshakesFailed, $"{handshakesFailed} logged handshake failures (got {Count(server, 111)})");
        await Wait.UntilAsync(() => Count(server, 120) + Count(server, 121) == connectionsClosed, $"{connectionsClosed} logged connection closes");
        Assert.DoesNotContain(server.Logs.Entries, entry => entry.Level >= LogLevel.Error || entry.Message.Contains("unexpectedly", StringComparison.Ordinal));
        await server.AssertServesAGoodClientAsync();
    }

    private static int Count(TestServer server, int eventId) => server.Logs.Entries.Count(entry => entry.EventId.Id == eventId);

    /// <summary>Seeded, so a failure reproduces: random bytes, and valid handshakes and frames, mutated.</summary>
    private static List<FuzzInput> Generate(Random random, byte[] recordedHandshake)
    {
        int helloLength = FrameCodec.HeaderSize + BinaryPrimitives.ReadInt32LittleEndian(recordedHandshake);
        byte[] hello = recordedHandshake[..helloLength];
        var inputs = new List<FuzzInput>(Inputs);
        for (int i = 0; i < Inputs; i++)
        {
            inputs.Add((i % 6) switch
            {
                0 => new FuzzInput(i, false, Bytes(random, random.Next(0, 300))),
                1 => new FuzzInput(i, false, Mutate(random, hello)),
                2 => new FuzzInput(i, false, recordedHandshake[..random.Next(0, recordedHandshake.Length + 1)]),
                3 => new FuzzInput(i, false, [.. Raw.Header((uint)random.NextInt64(0, uint.MaxValue + 1L)), .. Bytes(random, random.Next(0, 64))]),
                4 => new FuzzInput(i, false, Mutate(random, recordedHandshake)),
                _ => new FuzzInput(i, true, random.Next(3) == 0 ? Bytes(random, random.Next(1, 300)) : Mutate(random, ValidFrames(random))),
            });
        }

        return inputs;
    }

    private static byte[] ValidFrames(Random random)
    {
        var frames = new List<byte>();
        for (int count = random.Next(1, 6); count > 0; count--)
        {
            frames.AddRange(Raw.Frame(Bytes(random, random.Next(0, 100))));
        }

        return [.. frames];
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        byte[] mutated = (byte[])valid.Clone();
        for (int flips = random.Next(1, 5); flips > 0 && mutated.Length > 0; flips--)
        {
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
        }

        return random.Next(4) == 0 ? mutated[..random.Next(0, mutated.Length + 1)] : mutated;
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Sends one input, ends the stream, and waits until the server has closed the connection.</summary>
    private static async Task FeedAsync(TestServer server, FuzzInput input)
    {
        if (input.Authenticated)
        {
            await using SocketPipe pipe = await Raw.AuthenticateAsync(server, $"fuzz-{input.Index}");
            try
            {
                await pipe.Output.WriteAsync(input.Bytes).AsTask().WithDeadline();
            }
            catch (IOException)
            {
                // The server already closed on an earlier part of the input.
            }

            pipe.ShutdownSend();
            await pipe.DrainUntilClosedAsync();
            return;
        }

        using Socket socket = await Raw.ConnectAsync(server.EndPoint);
        try
        {
            await socket.SendAllAsync(input.Bytes);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server already closed on an earlier part of the input.
        }

        await socket.ReadUntilClosedAsync();
    }

    private sealed record FuzzInput(int Index, bool Authenticated, byte[] Bytes);
}
