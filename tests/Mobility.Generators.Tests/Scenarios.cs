using Mobility.Transport;

namespace Mobility.Generators.Tests;

/// <summary>Inputs the tests feed the generator: each one a small, complete user project.</summary>
internal static class Scenarios
{
    /// <summary>What <c>ImplicitUsings</c> gives a real project; added to every test compilation.</summary>
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>The contract's example, verbatim.</summary>
    public const string Counter = """
        using Microsoft.Extensions.Logging;
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public partial class Counter
        {
            private int _count;
            private readonly List<string> _history = new();
            public string Label { get; set; } = "";
            public int Version { get; init; }
            [Transient] private readonly ILogger<Counter> _log;

            public Counter(ILogger<Counter> log) => _log = log;

            [Call] public int Increment(int by) { _count += by; _history.Add($"+{by}"); return _count; }
            [Cast] public void Reset() => _count = 0;
            [Call] public async ValueTask<string> Describe(CancellationToken cancellationToken) { await Task.Yield(); return $"{Label}:{_count}:{string.Join(",", _history)}"; }
            [Call] public void Rename(string label) => Label = label;
            [Call] public Task Touch() => Task.CompletedTask;
            [Call] public void Leave(string node) => SendMe(Destination.Node(node));
            [Call] public void Quit() => Stop();

            partial void OnArrived(MigrationInfo info) => _log.LogInformation("arrived");
        }
        """;

    public const string GlobalNamespace = """
        using Mobility;

        [MobileProcess]
        public partial class Greeter
        {
            private string _greeting = "Hello";

            [Call] public string Greet(string name) => $"{_greeting}, {name}!";
            [Cast] public void Change(string greeting) => _greeting = greeting;
        }
        """;

    /// <summary>A process three partial types deep: class, record, struct (so effectively internal).</summary>
    public const string Nested = """
        using Mobility;

        namespace Demo.Nested
        {
            public static partial class Outer
            {
                public partial record Middle
                {
                    internal readonly partial struct Holder
                    {
                        [MobileProcess]
                        public partial class Inner
                        {
                            private long _ticks;

                            [Call] public long Tick() => ++_ticks;
                            [Cast] public void Rewind(long ticks) => _ticks = ticks;
                            [Call] public ProcessRef<Inner> Me() => Self;
                        }
                    }
                }
            }
        }
        """;

    /// <summary>Every return kind a call or a cast may have, with and without a cancellation token.</summary>
    public const string ReturnKinds = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public partial class Kinds
        {
            [Call] public void CallVoid(int a) { }
            [Call] public int CallValue(int a, string b) => a;
            [Call] public Task CallTask(CancellationToken cancellationToken) => Task.CompletedTask;
            [Call] public Task<int> CallTaskOfT(int a, CancellationToken cancellationToken) => Task.FromResult(a);
            [Call] public ValueTask CallValueTask() => default;
            [Call] public ValueTask<string?> CallValueTaskOfT(string? text) => new(text);
            [Call] public async Task<List<int>> LoadAsync(CancellationToken token) { await Task.Yield(); return new(); }
            [Call] public Task? MaybeTask() => null;

            [Cast] public void CastVoid(int a, long b) { }
            [Cast] public Task CastTask() => Task.CompletedTask;
            [Cast] public ValueTask CastValueTask(Guid id) => default;
        }
        """;

    /// <summary>Parameter names that clash with the generated code's own names.</summary>
    public const string ParameterNames = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        internal partial class Names
        {
            [Call] public int Keywords(int @class, string @event) => @class;
            [Call] public int Clash(ProcessRef<Names> process, int cancellationToken) => cancellationToken;
            [Call] public int Hiding(int Read, int HandlerId, int CancellationToken, int reader) => Read;
            [Cast] public void Send(int process, int message, int m) { }
            [Call] public int @checked(int value) => value;
        }
        """;

    /// <summary>Each kind of state member, and members that are not state.</summary>
    public const string State = """
        using Mobility;

        namespace Demo;

        public interface IHasTitle
        {
            string Title { get; set; }
        }

        [MobileProcess]
        public partial class Stateful : IHasTitle
        {
            private const int Limit = 10;
            private static int s_instances = 1;

            private int _plain;
            private readonly Dictionary<string, int> _readOnly = new();
            private string? _nullable;
            private int @class;
            [Transient] private readonly object _transientField = new();
            [Transient] public string TransientProperty { get; set; } = "";
            [field: Transient] public string TransientBackingField { get; set; } = "";

            public string Settable { get; set; } = "";
            public int PrivateSet { get; private set; }
            public int InitOnly { get; init; }
            public int GetOnly { get; } = 42;
            public (int X, int Y) Point { get; set; }
            string IHasTitle.Title { get; set; } = "";

            public int Computed => _plain * 2;
            public static int StaticProperty { get; set; }

            [Call] public int Sum() => _plain + _readOnly.Count + (_nullable?.Length ?? 0) + @class + Limit + s_instances + _transientField.GetHashCode();
        }
        """;

    /// <summary>Lifecycle hooks written as a definition, an implementation, or both.</summary>
    public const string HooksAsPartials = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public partial class Hooked
        {
            public List<string> Log { get; } = new();

            partial void OnStarted();

            partial void OnStopping() => Log.Add("stopping");

            partial void OnLeaving(MigrationInfo info);
            partial void OnLeaving(MigrationInfo info) => Log.Add("leaving");

            private partial void OnArrived(MigrationInfo? arrival) => Log.Add("arrived");
        }
        """;

    /// <summary>Lifecycle hooks written as ordinary methods, and process-side members the user declares.</summary>
    public const string HooksAsMethods = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public partial class Plain
        {
            public int Self { get; set; }

            private void OnStarted() { }
            public void OnStopping() { }
            public void OnLeaving(MigrationInfo info) { }
            public void OnArrived(int unrelated) { }

            private void Stop(bool now) { }

            [Call] public int Value() => Self;
        }
        """;

    /// <summary>A process that traps exits (writes OnExit), handles Downs, and declares its own Link (so Link/Unlink are not generated).</summary>
    public const string Supervisor = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public partial class Supervisor
        {
            private readonly List<string> _events = new();

            [Call] public MonitorRef Watch(ProcessRef<Supervisor> child) => Monitor(child);

            public void Link(string unrelated) { }

            partial void OnDown(Down down) => _events.Add($"down {down.Reason}");

            partial void OnExit(ExitSignal signal) => _events.Add($"exit {signal.Reason}");
        }
        """;

    /// <summary>A process that lets it crash: an exception escaping a handler stops it (the option is a named argument).</summary>
    public const string Crashing = """
        using Mobility;

        namespace Demo;

        [MobileProcess(StopOnUnhandledException = true)]
        public partial class Worker
        {
            private int _done;

            [Call] public int Divide(int by) => 100 / by;

            [Cast] public void Work() => _done++;
        }
        """;

    public const string TwoProcesses = """
        using Mobility;

        namespace Zoo
        {
            [MobileProcess] public partial class Zebra { [Cast] public void Run() { } }
        }

        namespace Aquarium
        {
            [MobileProcess] internal partial class Fish { [Cast] public void Swim() { } }
        }
        """;

    /// <summary>A process with no handlers and no state.</summary>
    public const string Empty = """
        using Mobility;

        namespace Demo;

        [MobileProcess]
        public sealed partial class Idle
        {
        }
        """;

    /// <summary>Types of all sorts crossing the wire, including nested generic and user types.</summary>
    public const string WireTypes = """
        using Mobility;

        namespace Demo;

        public sealed class Envelope<T>
        {
            public sealed class Body { public T? Value { get; set; } }
        }

        public enum Color { Red, Green }

        [MobileProcess]
        public partial class Wire
        {
            [Call] public int[] Arrays(int[][] jagged, string[,] grid) => jagged[0];
            [Call] public (int Id, string Name)? Tuples((int, string) pair, int? maybe) => pair;
            [Call] public Envelope<int>.Body Nested(Envelope<string>.Body body, Color color) => new();
            [Call] public Dictionary<string, List<Guid>> Maps(HashSet<ProcessRef<Wire>> refs) => new();
            [Call] public object? Boxed(object? value) => value;
            [Cast] private void Hidden(DateTimeOffset when) { }
        }
        """;

    /// <summary>A process whose handler takes an internal type: its extension cannot be public.</summary>
    public const string InternalParameter = """
        using Mobility;

        namespace Demo;

        internal sealed record Secret(string Value);

        [MobileProcess]
        public partial class Vault
        {
            [Call] public int Store(string value) => value.Length;
            [Call] internal int Hide(Secret secret) => secret.Value.Length;
            [Call] internal Task<Secret?> Reveal() => Task.FromResult<Secret?>(null);
        }
        """;

    /// <summary>Unusual but valid places, names and declarations.</summary>
    public const string Unusual = """
        using Mobility;

        namespace Demo.Mobility
        {
            public partial interface IOuter
            {
                [MobileProcess] public partial class InInterface { [Call] public int M(int x) => x; }
            }

            public ref partial struct RefOuter
            {
                [MobileProcess] internal partial class InRefStruct { [Call] public int M(int x) => x; }
            }

            public readonly partial record struct RecordOuter(int A)
            {
                [MobileProcess] internal partial class InRecordStruct { [Cast] public void M(int x) { } }
            }

            public partial class Outer
            {
                [MobileProcess] protected internal partial class ProtectedInternal { [Call] public int M(int x) => x; }
            }
        }

        namespace Demo
        {
            public class System { }

            [MobileProcess] public partial class Self { [Call] public Task<int> M(int x) => Task.FromResult(x); }

            [MobileProcess] public partial class TypeId { [Call] public int Attach(int x) => x; }

            [MobileProcess]
            public partial class Partials
            {
                [Call] public partial int Defined(int x);
                public partial int Defined(int x) => x;
                [Cast] partial void Undefined();
                [Call] public int Optional(int x = 3, string? s = null) => x;
                private async partial void OnStarted() => await Task.Yield();
            }

            [Obsolete("Use Current.")]
            public sealed class Deprecated { }

            [MobileProcess, Obsolete("Retired.")]
            public partial class Retired { [Cast] public void M() { } }

            [MobileProcess]
            public partial class Aging
            {
                [Obsolete("Gone soon.")] private int _old;
                [Obsolete("Gone soon.")] public Deprecated? Legacy { get; set; }
                [Call, Obsolete("Use New.")] public int Old(Deprecated? value) => 1;
            }
        }

        #nullable disable
        namespace Demo.Oblivious
        {
            [MobileProcess]
            public partial class Legacy
            {
                private string _text;
                [Call] public string Echo(string text) => text + _text;
                partial void OnArrived(MigrationInfo arrival) { }
            }
        }
        """;

    /// <summary>A state machine with per-state handlers of shared events, a fallback, enter callbacks and timeouts.</summary>
    public const string DoorLock = """
        using Mobility;

        namespace Demo;

        public enum DoorState { Locked, Open, Broken }

        [MobileProcess, StateMachine(typeof(DoorState), Initial = DoorState.Locked)]
        public partial class DoorLock
        {
            private string _entered = "";

            [Cast(Event = "Button"), When(DoorState.Locked)]
            public void ButtonWhileLocked(char digit)
            {
                _entered += digit;
                if (_entered == "123") { NextState(DoorState.Open); }
            }

            [Cast(Event = "Button"), When(DoorState.Open, DoorState.Broken)]
            public void ButtonOtherwise(char digit) { }

            [Call(Event = "Open"), When(DoorState.Locked)]
            public bool OpenWhileLocked(string code) { Postpone(); return false; }

            [Call(Event = "Open")]
            public async Task<bool> OpenOtherwise(string code) { await Task.Yield(); return true; }

            [Call, When(DoorState.Open)]
            public void Break() => NextState(DoorState.Broken);

            [Cast] public void Relock() => NextState(DoorState.Locked);
            [Cast] public void Idle() { }
            [Call] public string Status() => State.ToString();
            [Call] public void Hold() { SetEventTimeout(TimeSpan.FromSeconds(1), self => self.Idle()); SetTimeout("bell", TimeSpan.FromSeconds(2), self => self.Idle()); CancelTimeout("bell"); }

            [StateEnter(DoorState.Open)]
            private void OnOpen() => SetStateTimeout(TimeSpan.FromSeconds(5), self => self.Relock());

            [StateEnter]
            private void OnAnyState(DoorState previous) { }
        }
        """;

    /// <summary>A state machine whose handlers all read the state themselves (no [When]), with the default initial state.</summary>
    public const string StatelessHandlers = """
        using Mobility;

        namespace Demo;

        public enum Phase { Idle, Running }

        [MobileProcess, StateMachine(typeof(Phase))]
        public partial class Job
        {
            private int _steps;

            [Call]
            public Phase Step()
            {
                _steps++;
                NextState(State == Phase.Running ? Phase.Idle : Phase.Running);
                return State;
            }

            [Cast] public void Pause() { if (State == Phase.Running) { Postpone(); } CancelStateTimeout(); CancelEventTimeout(); }
        }
        """;

    /// <summary>Every valid scenario, by name, for the compile tests.</summary>
    public static TheoryData<string> Valid =>
    [
        nameof(Counter),
        nameof(GlobalNamespace),
        nameof(Nested),
        nameof(ReturnKinds),
        nameof(ParameterNames),
        nameof(State),
        nameof(HooksAsPartials),
        nameof(HooksAsMethods),
        nameof(TwoProcesses),
        nameof(Supervisor),
        nameof(Crashing),
        nameof(Empty),
        nameof(WireTypes),
        nameof(InternalParameter),
        nameof(Unusual),
        nameof(DoorLock),
        nameof(StatelessHandlers),
    ];

    public static string Source(string name) =>
        (string)typeof(Scenarios).GetField(name)!.GetValue(null)!;
}
