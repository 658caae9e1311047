using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace Mobility.Benchmarks.Contenders;

/// <summary>
/// Akka.NET 1.5: untyped actors; request/reply with <c>Ask</c> from outside the actor system (Akka's way for a
/// non-actor caller); cross-node with Akka.Remote (DotNetty TCP) on 127.0.0.1 between two OS processes, messages are boxed <c>long</c>s so the
/// built-in primitive serializer is used (no JSON). Logging off.
/// </summary>
internal sealed class AkkaContender : IContender
{
    public string Name => "Akka.NET";

    private const string Quiet = """
        akka {
          loglevel = OFF
          stdout-loglevel = OFF
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.ask-timeout = 60s
        }
        """;

    private const string Remote = """
        akka {
          actor.provider = remote
          remote.dot-netty.tcp {
            hostname = 127.0.0.1
            public-hostname = 127.0.0.1
            port = 0
          }
          remote.log-remote-lifecycle-events = off
        }
        """;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(60);

    private sealed class Counter : UntypedActor
    {
        protected override void OnReceive(object message) => Probe.Hit();
    }

    private sealed class Responder : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }

    private sealed class IdleActor : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }

    public Task<Endpoints> LocalAsync()
    {
        var system = ActorSystem.Create("local", ConfigurationFactory.ParseString(Quiet));
        var counter = system.ActorOf(Props.Create(() => new Counter()), "counter");
        var responder = system.ActorOf(Props.Create(() => new Responder()), "responder");
        return Task.FromResult(new Endpoints(
            seq => counter.Tell(seq),
            seq => responder.Ask<long>(seq, AskTimeout),
            async () => await system.Terminate()));
    }

    private static Config RemoteConfig => ConfigurationFactory.ParseString(Remote).WithFallback(ConfigurationFactory.ParseString(Quiet));

    public Task<Served> ServeAsync()
    {
        var b = ActorSystem.Create("bench", RemoteConfig);
        b.ActorOf(Props.Create(() => new Counter()), "counter");
        b.ActorOf(Props.Create(() => new Responder()), "responder");
        var address = ((ExtendedActorSystem)b).Provider.DefaultAddress;
        return Task.FromResult(new Served(address.ToString(), () => b.Terminate()));
    }

    public async Task<Endpoints?> RemoteAsync(string address)
    {
        var a = ActorSystem.Create("bench", RemoteConfig);
        try
        {
            var counter = await a.ActorSelection($"{address}/user/counter").ResolveOne(TimeSpan.FromSeconds(30));
            var responder = await a.ActorSelection($"{address}/user/responder").ResolveOne(TimeSpan.FromSeconds(30));
            return new Endpoints(
                seq => counter.Tell(seq),
                seq => responder.Ask<long>(seq, AskTimeout),
                async () => await a.Terminate());
        }
        catch
        {
            await a.Terminate();
            throw;
        }
    }

    public async Task<SpawnResult> SpawnAsync(int count)
    {
        var system = ActorSystem.Create("spawn", ConfigurationFactory.ParseString(Quiet));
        try
        {
            var props = Props.Create(() => new IdleActor());
            var refs = new IActorRef[count];
            var before = Harness.Heap();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                refs[i] = system.ActorOf(props);
            }

            await refs[^1].Ask<int>(0, AskTimeout);
            clock.Stop();
            var after = Harness.Heap();
            GC.KeepAlive(refs);
            return new SpawnResult(count / clock.Elapsed.TotalSeconds, (after - before - count * (long)IntPtr.Size) / (double)count);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
