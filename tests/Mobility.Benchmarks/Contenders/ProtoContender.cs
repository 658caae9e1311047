using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Proto;
using Proto.Remote;
using Proto.Remote.GrpcNet;

namespace Mobility.Benchmarks.Contenders;

/// <summary>
/// Proto.Actor 1.8: function actors; request/reply with <c>RequestAsync</c> from the root context; cross-node with
/// Proto.Remote (gRPC over HTTP/2) bound to 127.0.0.1, between two OS processes. Messages are protobuf <c>Int64Value</c>s (Proto.Remote's
/// native serializer). Logging is Proto's default (none).
/// </summary>
internal sealed class ProtoContender : IContender
{
    public string Name => "Proto.Actor";

    private static readonly Props Counter = Props.FromFunc(context =>
    {
        if (context.Message is Int64Value)
        {
            Probe.Hit();
        }

        return Task.CompletedTask;
    });

    private static readonly Props Responder = Props.FromFunc(context =>
    {
        if (context.Message is Int64Value value)
        {
            context.Respond(value);
        }

        return Task.CompletedTask;
    });

    public Task<Endpoints> LocalAsync()
    {
        var system = new ActorSystem();
        var counter = system.Root.Spawn(Counter);
        var responder = system.Root.Spawn(Responder);
        return Task.FromResult(Endpoints(system, counter, responder, async () => await system.ShutdownAsync()));
    }

    public async Task<Served> ServeAsync()
    {
        var b = await StartRemoteAsync();
        b.Root.SpawnNamed(Counter, "counter");
        b.Root.SpawnNamed(Responder, "responder");
        return new Served(b.Address, async () =>
        {
            await b.Remote().ShutdownAsync();
            await b.ShutdownAsync();
        });
    }

    public async Task<Endpoints?> RemoteAsync(string address)
    {
        var a = await StartRemoteAsync();
        var counter = PID.FromAddress(address, "counter");
        var responder = PID.FromAddress(address, "responder");
        try
        {
            // Proto.Remote connects on first use: fail here, not in the measured rounds, if the child is unreachable.
            await a.Root.RequestAsync<Int64Value>(responder, new Int64Value(), TimeSpan.FromSeconds(30));
        }
        catch
        {
            await a.Remote().ShutdownAsync();
            await a.ShutdownAsync();
            throw;
        }

        return Endpoints(a, counter, responder, async () =>
        {
            await a.Remote().ShutdownAsync();
            await a.ShutdownAsync();
        });
    }

    private static async Task<ActorSystem> StartRemoteAsync()
    {
        var config = RemoteConfig.BindToLocalhost(0).WithProtoMessages(WrappersReflection.Descriptor);
        var system = new ActorSystem().WithRemote(config);
        await system.Remote().StartAsync();
        return system;
    }

    private static Endpoints Endpoints(ActorSystem from, PID counter, PID responder, Func<ValueTask> dispose)
    {
        var root = from.Root;
        return new Endpoints(
            seq => root.Send(counter, new Int64Value { Value = seq }),
            seq => root.RequestAsync<Int64Value>(responder, new Int64Value { Value = seq }, Harness.Bound),
            dispose);
    }

    public async Task<SpawnResult> SpawnAsync(int count)
    {
        var system = new ActorSystem();
        try
        {
            var pids = new PID[count];
            var before = Harness.Heap();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                pids[i] = system.Root.Spawn(Responder);
            }

            await system.Root.RequestAsync<Int64Value>(pids[^1], new Int64Value(), Harness.Bound);
            clock.Stop();
            var after = Harness.Heap();
            GC.KeepAlive(pids);
            return new SpawnResult(count / clock.Elapsed.TotalSeconds, (after - before - count * (long)IntPtr.Size) / (double)count);
        }
        finally
        {
            await system.ShutdownAsync();
        }
    }
}
