using Microsoft.CodeAnalysis;

namespace Mobility.Analyzers;

/// <summary>
/// Every diagnostic the Mobility analyzers report. An id, once listed in
/// <c>AnalyzerReleases.Shipped.md</c>, never changes meaning; retired ids are not reused.
/// </summary>
internal static class Descriptors
{
    public const string DeclarationCategory = "Mobility.Declaration";
    public const string StateCategory = "Mobility.State";
    public const string HandlerCategory = "Mobility.Handlers";
    public const string LoopCategory = "Mobility.ProcessLoop";
    public const string UsageCategory = "Mobility.Usage";
    public const string StateMachineCategory = "Mobility.StateMachines";
    public const string MonitoringCategory = "Mobility.Monitoring";

    /// <summary>Where each id is explained: the README's diagnostics table has one anchor per id.</summary>
    private const string HelpLinkBase = "README.md#";

    // ---- Declaration ------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "MOB0001", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process or a type containing it is not partial",
        "'{0}' must be declared partial: the Mobility generator completes mobile process '{1}' in another part",
        "The generator adds the dispatch, state snapshot and process-side members (Self, SendMe, Register, Stop) in a second part of the class, so the class and every type containing it must be 'partial' in all their declarations. Until then nothing is generated for it and it cannot be spawned.");

    public static readonly DiagnosticDescriptor GenericProcess = Create(
        "MOB0002", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process is generic or nested in a generic type",
        "Mobile process '{0}' cannot be generic or nested in generic type '{1}': a node creates processes by a closed type id",
        "A process type travels between nodes as a fixed type id, and its state and messages are encoded for that one type. Generic process classes, and classes nested in generic types, are not generated for. Use a non-generic class; hold varying parts as state.");

    public static readonly DiagnosticDescriptor NotConcreteClass = Create(
        "MOB0003", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process must be a concrete, non-static class",
        "Mobile process '{0}' cannot be {1}: a node must create instances of it",
        "Nodes create process instances through dependency injection, on spawn and after every move, so a [MobileProcess] must be a plain class: not abstract, not static, not a record (records add members and equality that the generated state codec does not expect).");

    public static readonly DiagnosticDescriptor HasBaseClass = Create(
        "MOB0004", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process derives from another class",
        "Mobile process '{0}' derives from '{1}': mobile processes must derive from object",
        "The generated snapshot covers the fields the class declares; fields inherited from a base class would silently not migrate. Derive from object and compose: hold what the base class held as state fields.");

    public static readonly DiagnosticDescriptor Inaccessible = Create(
        "MOB0005", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process is not accessible to the generated code",
        "Mobile process '{0}' is {1}: the generated registration and extension methods cannot reach it",
        "The generator registers each process type with AddMobileProcesses() and adds extension methods on ProcessRef<T> in namespace-level classes. A process that is file-local or nested as private or protected cannot be named there: make it public or internal.");

    public static readonly DiagnosticDescriptor ReservedName = Create(
        "MOB0006", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process uses a name the generated code needs",
        "Mobile process '{0}' cannot be generated: {1}",
        "The generated part declares members whose names start with '__Mobility', implements Mobility.Generated.IMobileProcess, and adds a static class '<Type>ProcessRefExtensions' to the namespace (nested processes use their flattened name, 'Outer_Inner'). A user declaration that takes one of these names, or a class named like a lifecycle hook, stops generation: rename it.");

    public static readonly DiagnosticDescriptor InvalidHook = Create(
        "MOB0007", DeclarationCategory, DiagnosticSeverity.Error,
        "Lifecycle hook cannot be used",
        "'{0}' of mobile process '{1}' cannot serve as its lifecycle hook: {2}",
        "OnStarted(), OnStopping(), OnLeaving(MigrationInfo), OnArrived(MigrationInfo), OnDown(Down) and OnExit(ExitSignal) are lifecycle hooks: write them as 'partial void' methods (or ordinary instance methods) with exactly these signatures. A field, property or nested type of a hook's name, a static hook, or a partial hook that returns a value or is virtual, override, sealed, new or extern stops generation.");

    public static readonly DiagnosticDescriptor NoInjectableConstructor = Create(
        "MOB0008", DeclarationCategory, DiagnosticSeverity.Error,
        "Mobile process has no constructor dependency injection can use",
        "Mobile process '{0}' {1}: a node creates it with ActivatorUtilities, which needs exactly one public constructor (or one marked [ActivatorUtilitiesConstructor])",
        "Nodes create process instances through dependency injection (ActivatorUtilities), on spawn and after every move. It uses public constructors only, and fails when several public constructors exist and none is marked [ActivatorUtilitiesConstructor].");

    public static readonly DiagnosticDescriptor UninjectableParameter = Create(
        "MOB0009", DeclarationCategory, DiagnosticSeverity.Warning,
        "Constructor parameter that dependency injection is unlikely to provide",
        "Parameter '{0}' of type '{1}' has no default value: dependency injection seldom provides a '{1}', and spawning '{2}' will fail unless one is registered",
        "A process is created through dependency injection, on spawn and after every move; values such as numbers, strings and enums are rarely registered as services. Give the parameter a default value, inject an options object instead, or move the value into state set by a handler.");

    public static readonly DiagnosticDescriptor HandlerOutsideProcess = Create(
        "MOB0010", DeclarationCategory, DiagnosticSeverity.Warning,
        "Handler attribute on a method of a class that is not a mobile process",
        "'{0}' is marked [{1}] but '{2}' is not a [MobileProcess]: nothing is generated for it",
        "[Call] and [Cast] only mean something on methods of a [MobileProcess] class; elsewhere they are ignored. Mark the class [MobileProcess] or remove the attribute.");

    // ---- State ------------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor StateNotEncodable = Create(
        "MOB0011", StateCategory, DiagnosticSeverity.Error,
        "State member cannot be encoded by MemoryPack",
        "State member '{0}' has type '{1}', which MemoryPack cannot encode{2}: mark it [Transient] or use an encodable type",
        "Every instance field and auto-property not marked [Transient] is state: it is snapshotted with MemoryPack and travels with the process. MemoryPack encodes primitives, strings, enums, unmanaged structs, well-known BCL types and collections of them, tuples, ProcessRef<T> and types marked [MemoryPackable]. Anything else fails at the first snapshot or move. If you registered a custom MemoryPack formatter for the type, suppress this diagnostic.");

    public static readonly DiagnosticDescriptor StateMaybeNotEncodable = Create(
        "MOB0012", StateCategory, DiagnosticSeverity.Warning,
        "State member of a collection type MemoryPack may not know",
        "State member '{0}' has type '{1}', which MemoryPack encodes only if a formatter is registered for '{2}'",
        "MemoryPack knows the BCL collections (List, Dictionary, HashSet, queues, stacks, immutable and frozen collections and their interfaces); other collection types need MemoryPackFormatterProvider.RegisterCollection (or similar) at start-up, or the snapshot fails at run time. Use a known collection, register a formatter, or mark the member [Transient].");

    public static readonly DiagnosticDescriptor StateResource = Create(
        "MOB0013", StateCategory, DiagnosticSeverity.Error,
        "State member holds a resource that cannot migrate",
        "State member '{0}' holds '{1}', a resource that cannot move to another node: mark it [Transient] and recreate it where the process runs",
        "Sockets, streams, threads, tasks, cancellation sources, timers, HTTP clients, database connections and other disposable resources belong to the machine they were opened on: they cannot be snapshotted or moved. Mark the member [Transient] (it is then injected or recreated after each arrival, e.g. in OnArrived) or keep a description of the resource (a path, an address) as state instead.");

    public static readonly DiagnosticDescriptor StateDisposable = Create(
        "MOB0014", StateCategory, DiagnosticSeverity.Warning,
        "State member holds a disposable object",
        "State member '{0}' holds '{1}', which is disposable: its copy is moved, but what it owns (handles, connections) stays behind and is never disposed",
        "A disposable object in state is encoded field by field; whatever it owns outside the process is neither moved nor disposed when the process leaves. Mark the member [Transient] and recreate it after arrival, or keep only plain data in state.");

    public static readonly DiagnosticDescriptor EventInState = Create(
        "MOB0015", StateCategory, DiagnosticSeverity.Error,
        "Mobile process declares a field-like event",
        "Event '{0}' of mobile process '{1}' cannot migrate: its subscribers are delegates to objects on this node",
        "A field-like event stores its subscribers in a delegate field, which cannot be snapshotted, and dropping it silently would lose subscriptions; the generator stops. Send messages to ProcessRef<T> subscribers kept in state instead.");

    // ---- Handlers ---------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor HandlerShape = Create(
        "MOB0020", HandlerCategory, DiagnosticSeverity.Error,
        "Handler must be a non-generic instance method",
        "Handler '{0}' cannot be {1}: handlers are non-generic instance methods of the process",
        "A [Call] or [Cast] handler runs on the process instance in its loop and is addressed by a fixed message type, so it must be an ordinary, non-generic, non-static method without __arglist.");

    public static readonly DiagnosticDescriptor HandlerByRef = Create(
        "MOB0021", HandlerCategory, DiagnosticSeverity.Error,
        "Handler passes values by reference",
        "Handler '{0}' {1}: handler arguments and results are copied into messages, never passed by reference",
        "Messages are encoded and may cross the network, so a handler cannot take ref, out, in or params parameters, nor return by reference. Pass values, and return what the caller needs as the result.");

    public static readonly DiagnosticDescriptor HandlerTypeNotEncodable = Create(
        "MOB0022", HandlerCategory, DiagnosticSeverity.Error,
        "Handler parameter or result cannot cross the wire",
        "{0} of handler '{1}' has type '{2}', which {3}",
        "Handler arguments and results are encoded with MemoryPack into messages; their types must be encodable (primitives, strings, enums, unmanaged structs, well-known BCL types and collections, tuples, ProcessRef<T>, [MemoryPackable] types) and visible to the generated code (not private or protected nested types). Pointers, ref structs, dynamic, delegates and resources cannot cross.");

    public static readonly DiagnosticDescriptor HandlerTypeMaybeNotEncodable = Create(
        "MOB0023", HandlerCategory, DiagnosticSeverity.Warning,
        "Handler parameter or result of a collection type MemoryPack may not know",
        "{0} of handler '{1}' has type '{2}', which MemoryPack encodes only if a formatter is registered for '{3}'",
        "MemoryPack knows the BCL collections; other collection types need a registered formatter (MemoryPackFormatterProvider.RegisterCollection or similar), or sending the message fails at run time.");

    public static readonly DiagnosticDescriptor CastReturnsValue = Create(
        "MOB0024", HandlerCategory, DiagnosticSeverity.Error,
        "Cast handler returns a value",
        "Cast handler '{0}' returns '{1}', but a cast has no reply: return void, Task or ValueTask, or make it a [Call]",
        "A [Cast] is fire-and-forget: its sender does not wait and no reply is sent, so a value it returns would be lost. Return void, Task or ValueTask, or mark the method [Call] to reply.");

    public static readonly DiagnosticDescriptor CallAndCast = Create(
        "MOB0025", HandlerCategory, DiagnosticSeverity.Error,
        "Handler is marked both [Call] and [Cast]",
        "Handler '{0}' is marked both [Call] and [Cast]: choose one",
        "A handler is either a call (the sender awaits a reply) or a cast (fire-and-forget), not both.");

    public static readonly DiagnosticDescriptor CancellationTokenPosition = Create(
        "MOB0026", HandlerCategory, DiagnosticSeverity.Error,
        "CancellationToken parameter is misplaced",
        "Handler '{0}' takes a CancellationToken {1}",
        "A [Call] handler may take one CancellationToken, as its last parameter: it receives the caller's token (cancelled when the caller gives up or the call times out). A [Cast] has no caller waiting, so it cannot take one.");

    public static readonly DiagnosticDescriptor HandlerNameClash = Create(
        "MOB0027", HandlerCategory, DiagnosticSeverity.Error,
        "Handler names clash",
        "Handler '{0}' clashes with {1}",
        "Each handler gets a message type named after it and an extension method on ProcessRef<T> ('M' for a cast, 'MAsync' for a call), so handler names must be unique (no overloads), must not produce the same extension name (M and MAsync), and must not be named like the extension class.");

    public static readonly DiagnosticDescriptor HandlerShadowed = Create(
        "MOB0028", HandlerCategory, DiagnosticSeverity.Warning,
        "Handler's extension method is hidden by a ProcessRef member",
        "The generated extension '{0}' of handler '{1}' has the name of ProcessRef's own member '{0}', which C# prefers: 'process.{0}(...)' will not reach the handler",
        "Instance methods win over extension methods, so a handler whose generated extension is named RegisterAsync, SendMeAsync, StopAsync, WithCallTimeout, Equals, ToString, GetHashCode or CompareTo (e.g. a call named Register or Stop) is reachable only through the static extension class. Rename the handler.");

    // ---- The process's own loop ---------------------------------------------------------------

    public static readonly DiagnosticDescriptor ProcessMemberOutsideLoop = Create(
        "MOB0030", LoopCategory, DiagnosticSeverity.Error,
        "Process-side member used outside the process's own loop",
        "'{0}' is used {1}: it works only in the process's own loop, from a handler or hook running on this instance",
        "Self, SendMe, Register, Stop, SendAfter, CancelTimer, Monitor, Demonitor, Link and Unlink belong to the running process: the process performs moves, registrations, stops and timers itself, between two messages. Called from a thread-pool callback, timer, thread or continuation, from an async void method, from the constructor, from a static member or on another instance, they run outside the loop and fail or race. From outside, use the ProcessRef methods (SendMeAsync, RegisterAsync, StopAsync); to act later, use SendAfter from a handler, or send yourself a message (Self.SomethingAsync()) from the callback.");

    public static readonly DiagnosticDescriptor StateWrittenOutsideLoop = Create(
        "MOB0031", LoopCategory, DiagnosticSeverity.Warning,
        "State changed outside the process's own loop",
        "State member '{0}' is written {1}, concurrently with the process's handlers",
        "A process handles one message at a time, so its handlers need no locks; code running on another thread (a Task.Run, timer, thread or continuation callback, an async void method) or on another instance breaks that and may write to a process that has already moved away. Send the process a message instead (Self.UpdateAsync(...)) and change the state in the handler.");

    public static readonly DiagnosticDescriptor AfterConfigureAwaitFalse = Create(
        "MOB0032", LoopCategory, DiagnosticSeverity.Warning,
        "Process member used after ConfigureAwait(false)",
        "'{0}' is used after 'ConfigureAwait(false)': the rest of the method no longer runs in the process's own context",
        "ConfigureAwait(false) tells the awaited task not to resume in the caller's context; for a handler that context is the process's loop. Do not use ConfigureAwait(false) in process code (or use it only after the last access to the process's state and process-side members).");

    public static readonly DiagnosticDescriptor DirectInstanceUse = Create(
        "MOB0033", LoopCategory, DiagnosticSeverity.Warning,
        "Mobile process used through a direct reference",
        "'{0}' is used directly on an instance of mobile process '{1}': talk to a process through its ProcessRef<{1}>",
        "Calling a handler or touching a member on the process object itself bypasses its mailbox: it runs on the caller's thread, concurrently with the process's loop, and does not follow the process when it moves. Obtain a ProcessRef<T> (SpawnAsync, WhereIsAsync, Self) and use its generated methods.");

    public static readonly DiagnosticDescriptor BlockingCall = Create(
        "MOB0034", LoopCategory, DiagnosticSeverity.Warning,
        "Blocking call in a handler",
        "'{0}' blocks the process's loop: await instead",
        "A process handles one message at a time on a shared thread pool; a handler that blocks (Thread.Sleep, Task.Wait, .Result, GetAwaiter().GetResult(), Task.WaitAll) stalls the process, wastes a pool thread and deadlocks if it waits for the process itself. Make the handler async and await.");

    public static readonly DiagnosticDescriptor AwaitSelf = Create(
        "MOB0035", LoopCategory, DiagnosticSeverity.Error,
        "Handler awaits a call to its own process",
        "Awaiting '{0}' on Self deadlocks: the message waits in the mailbox behind the handler that awaits it",
        "A process handles one message at a time: a message sent to Self is handled only after the current handler returns, so awaiting its reply inside the handler never completes (the call times out). Call the method directly, or cast to Self without awaiting.");

    // ---- Usage ----------------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor NewProcess = Create(
        "MOB0040", UsageCategory, DiagnosticSeverity.Warning,
        "Mobile process created with 'new'",
        "'{0}' is created with 'new': it gets no mailbox, no loop and no node; spawn it with MobilityNode.SpawnAsync<{0}>()",
        "A process object created with 'new' is not running: its process-side members throw, messages cannot reach it, and it cannot move. Spawn it with 'await node.SpawnAsync<T>()' and talk to it through the returned ProcessRef<T>. Tests that exercise the class as a plain object may suppress this diagnostic.");

    // ---- State machines -------------------------------------------------------------------------

    public static readonly DiagnosticDescriptor StateMachineNotProcess = Create(
        "MOB0050", StateMachineCategory, DiagnosticSeverity.Warning,
        "[StateMachine] on a class that is not a mobile process",
        "'{0}' is marked [StateMachine] but not [MobileProcess]: nothing is generated for it",
        "A state machine is a mobile process whose handlers serve states: the generator completes only [MobileProcess] classes. Add [MobileProcess], or remove [StateMachine].");

    public static readonly DiagnosticDescriptor StateTypeNotEnum = Create(
        "MOB0051", StateMachineCategory, DiagnosticSeverity.Error,
        "State type of a state machine is not an enum",
        "The state type of '{0}' is '{1}', not an enum",
        "A state machine's states are the values of an enum, [StateMachine(typeof(DoorState))]: dispatch switches over them, and the current state travels with the process as that enum. Declare an enum of the states.");

    public static readonly DiagnosticDescriptor MisplacedStateAttribute = Create(
        "MOB0052", StateMachineCategory, DiagnosticSeverity.Error,
        "[When] or [StateEnter] where it cannot apply",
        "'{0}' cannot be marked {1}",
        "[When] limits a [Call] or [Cast] handler of a [StateMachine] process to some states; [StateEnter] marks a method of a [StateMachine] process to run when it enters states. Elsewhere they mean nothing, and the generator skips the class: mark the class [StateMachine(typeof(...))], or the method [Call]/[Cast], or remove the attribute.");

    public static readonly DiagnosticDescriptor NotAState = Create(
        "MOB0053", StateMachineCategory, DiagnosticSeverity.Error,
        "Not a state of the state machine",
        "{0} is not a named value of the state enum '{1}'",
        "[When], [StateEnter] and Initial take values of the machine's state enum, written as its members (DoorState.Open): other values, numbers cast to the enum, or a [When] without any state cannot be dispatched on.");

    public static readonly DiagnosticDescriptor OverlappingHandlers = Create(
        "MOB0054", StateMachineCategory, DiagnosticSeverity.Error,
        "Two handlers of one event serve the same state",
        "Handler '{0}' of event '{1}' serves {2}, which handler '{3}' serves already",
        "Each state runs at most one handler of an event: give the handlers of one event disjoint [When] states, and at most one of them no [When] (it serves the states no other handler serves).");

    public static readonly DiagnosticDescriptor DisagreeingHandlers = Create(
        "MOB0055", StateMachineCategory, DiagnosticSeverity.Error,
        "Handlers of one event disagree on its message",
        "Handler '{0}' of event '{1}' differs from handler '{2}': {3}",
        "The handlers of one event (same Event name) form one message and one generated extension method: they must all be calls or all casts, take the same parameter types in the same order, and return the same result.");

    public static readonly DiagnosticDescriptor InvalidStateEnter = Create(
        "MOB0056", StateMachineCategory, DiagnosticSeverity.Error,
        "[StateEnter] method has the wrong signature",
        "[StateEnter] method '{0}' must be a non-static, non-generic, non-async void method taking nothing or the previous state ('{1}'), and not a handler",
        "The process loop runs enter callbacks right after a transition, synchronously, before the next event: they return nothing and take no parameter or one parameter of the state type (the previous state).");

    public static readonly DiagnosticDescriptor TransitionInStateEnter = Create(
        "MOB0057", StateMachineCategory, DiagnosticSeverity.Error,
        "NextState or Postpone in a [StateEnter] method",
        "'{0}' cannot be used in [StateEnter] method '{1}': it throws InvalidOperationException at run time",
        "Enter callbacks run after a transition: they may set timeouts and change data, but the state changes, and events are postponed, only from event handlers. Move the transition into the handler that caused the state change, or into a state timeout's handler.");

    public static readonly DiagnosticDescriptor PostponeInSignalHook = Create(
        "MOB0062", StateMachineCategory, DiagnosticSeverity.Error,
        "Postpone in OnDown or OnExit",
        "'Postpone' cannot be used in '{0}': a Down or an exit signal cannot be postponed, and it throws InvalidOperationException at run time",
        "To a state machine, a Down or an exit signal is an event: OnDown and OnExit may change the state with NextState, but only events handled by [Call] and [Cast] handlers can be postponed. Record the signal in the state and act on it after the next state change.");

    public static readonly DiagnosticDescriptor InvalidEventName = Create(
        "MOB0058", StateMachineCategory, DiagnosticSeverity.Error,
        "Event name is not an identifier",
        "Event name '{0}' of handler '{1}' is not a C# identifier",
        "The Event name of a [Call] or [Cast] names the generated message and extension method, so it must be a valid C# identifier not starting with '__Mobility'.");

    public static readonly DiagnosticDescriptor InitialStateUnnamed = Create(
        "MOB0059", StateMachineCategory, DiagnosticSeverity.Warning,
        "State machine starts in an unnamed state",
        "'{0}' has no Initial state and its state enum '{1}' has no member of value 0: it starts in state 0",
        "Without Initial = ..., a state machine starts in default(TState), the value 0. Give [StateMachine] an Initial state, or give the enum a member of value 0.");

    // ---- Monitors and links ------------------------------------------------------------------

    public static readonly DiagnosticDescriptor MonitorsItself = Create(
        "MOB0060", MonitoringCategory, DiagnosticSeverity.Warning,
        "Process monitors or links itself",
        "'{0}(Self)' has no effect: {1}",
        "A process cannot watch its own end: Monitor(Self) yields a Down that arrives after the process has stopped, so OnDown never sees it, and Link(Self) is ignored. Monitor or link another process; to act when this process stops, use its OnStopping hook.");

    public static readonly DiagnosticDescriptor MonitorDiscarded = Create(
        "MOB0061", MonitoringCategory, DiagnosticSeverity.Warning,
        "Process monitor is discarded",
        "The ProcessMonitor returned by '{0}' is discarded: its Down can never be observed and the monitor is never given up",
        "MonitorAsync returns a ProcessMonitor whose Down task completes when the process goes down, and whose disposal gives the monitor up. Discarding it leaves a monitor nobody can observe or remove: keep it ('await using var monitor = await node.MonitorAsync(process);') and await monitor.Down.");

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLinkBase + id.ToLowerInvariant());
}
