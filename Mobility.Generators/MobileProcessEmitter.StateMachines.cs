using System.Collections.Generic;
using System.Linq;
using Mobility.Generators.Model;

namespace Mobility.Generators;

/// <summary>The state machine half of the emitter: the state, its members, and dispatch per state.</summary>
internal static partial class MobileProcessEmitter
{
    private const string IStateMachineProcess = "global::Mobility.Generated.IStateMachineProcess";
    private const string TimeoutKind = "global::Mobility.Generated.TimeoutKind";

    /// <summary>One handler per event (the first of its handlers): the event's message, extension and id.</summary>
    private static IEnumerable<HandlerModel> Events(MobileProcessModel model)
    {
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        return model.Handlers.Where(handler => seen.Add(handler.Name));
    }

    /// <summary>What an extension method's summary says it sends to: the handler, or an event served per state by several.</summary>
    private static string Target(MobileProcessModel model, HandlerModel handler)
    {
        var handlers = HandlersOf(model, handler.Name);
        return handlers.Count == 1
            ? $"<see cref=\"{handler.Cref}\"/>"
            : $"<c>{handler.Name}</c> (handled, depending on the state, by {string.Join(" or ", handlers.Select(each => $"<see cref=\"{each.Cref}\"/>"))})";
    }

    private static List<HandlerModel> HandlersOf(MobileProcessModel model, string eventName) =>
        model.Handlers.Where(handler => handler.Name == eventName).ToList();

    /// <summary>Runs the handler of the event that serves the current state; without one, the event is unhandled.</summary>
    private static void WriteStateDispatch(SourceWriter writer, MobileProcessModel model, StateMachineModel machine, string eventName, string done)
    {
        // The event's message is its first handler's: every handler reads the arguments from that message's fields.
        var message = HandlersOf(model, eventName)[0].Parameters;
        var handlers = HandlersOf(model, eventName).Select(handler => handler with { Parameters = message }).ToList();
        writer.WriteLine("switch (this.__mobilityState)");
        writer.OpenBlock();
        foreach (var handler in handlers.Where(handler => !handler.States.IsEmpty))
        {
            foreach (var state in handler.States)
            {
                writer.WriteLine($"case {state}:");
            }

            writer.Indent();
            WriteInvocation(writer, handler, done);
            writer.Unindent();
        }

        writer.WriteLine("default:");
        writer.Indent();
        if (handlers.FirstOrDefault(handler => handler.States.IsEmpty) is { } fallback)
        {
            WriteInvocation(writer, fallback, done);
        }
        else
        {
            writer.WriteLine($"throw global::Mobility.Generated.StateMachineErrors.UnhandledEvent({Literal(machine.ProcessName)}, this.__mobilityState.ToString(), {Literal(eventName)});");
        }

        writer.Unindent();
        writer.CloseBlock();
    }

    private static void WriteStateMachineMembers(SourceWriter writer, MobileProcessModel model, StateMachineModel machine)
    {
        var self = model.Hierarchy.FullyQualifiedName;
        var state = machine.StateType;
        var send = $"global::System.Action<global::Mobility.ProcessRef<{self}>> send";
        writer.WriteLine();
        writer.WriteLine($$"""
            private {{state}} __mobilityState = {{machine.Initial}};

            [global::Mobility.Transient]
            private {{state}}? __mobilityNextState;

            [global::Mobility.Transient]
            private {{state}} __mobilityPreviousState = {{machine.Initial}};

            /// <summary>The current state of this state machine.</summary>
            private {{state}} State => this.__mobilityState;

            /// <summary>Moves to <paramref name="state"/> once the current handler returns (the same state is not a change).</summary>
            private void NextState({{state}} state)
            {
                this.__MobilityContext.EnsureCanTransition("NextState");
                this.__mobilityNextState = state;
            }

            /// <summary>Keeps the current event until the next state change, then handles it again (a call's caller keeps waiting).</summary>
            private void Postpone() => this.__MobilityContext.Postpone();

            /// <summary>Delivers the cast <paramref name="send"/> sends after <paramref name="delay"/>, unless an event comes first; replaces the pending event timeout.</summary>
            private void SetEventTimeout(global::System.TimeSpan delay, {{send}}) => this.__MobilityContext.SetTimeout({{TimeoutKind}}.Event, null, delay, send);

            /// <summary>Delivers the cast <paramref name="send"/> sends after <paramref name="delay"/>, unless the state changes first; replaces the pending state timeout.</summary>
            private void SetStateTimeout(global::System.TimeSpan delay, {{send}}) => this.__MobilityContext.SetTimeout({{TimeoutKind}}.State, null, delay, send);

            /// <summary>Delivers the cast <paramref name="send"/> sends after <paramref name="delay"/>; replaces the pending timeout called <paramref name="name"/>.</summary>
            private void SetTimeout(string name, global::System.TimeSpan delay, {{send}}) => this.__MobilityContext.SetTimeout({{TimeoutKind}}.Named, name, delay, send);

            /// <summary>Cancels the pending event timeout; false if there is none.</summary>
            private bool CancelEventTimeout() => this.__MobilityContext.CancelTimeout({{TimeoutKind}}.Event, null);

            /// <summary>Cancels the pending state timeout; false if there is none.</summary>
            private bool CancelStateTimeout() => this.__MobilityContext.CancelTimeout({{TimeoutKind}}.State, null);

            /// <summary>Cancels the pending timeout called <paramref name="name"/>; false if there is none.</summary>
            private bool CancelTimeout(string name) => this.__MobilityContext.CancelTimeout({{TimeoutKind}}.Named, name);

            string {{IStateMachineProcess}}.StateName => this.__mobilityState.ToString();

            bool {{IStateMachineProcess}}.CompleteTransition(bool apply)
            {
                var next = this.__mobilityNextState;
                this.__mobilityNextState = null;
                if (!apply || next is not { } state || state == this.__mobilityState)
                {
                    return false;
                }

                this.__mobilityPreviousState = this.__mobilityState;
                this.__mobilityState = state;
                return true;
            }
            """);
        writer.WriteLine();
        writer.WriteLine($"void {IStateMachineProcess}.EnterState()");
        writer.OpenBlock();
        if (!machine.Enters.IsEmpty)
        {
            writer.WriteLine("var previous = this.__mobilityPreviousState;");
        }

        for (var i = 0; i < machine.Enters.Count; i++)
        {
            var enter = machine.Enters[i];
            if (i > 0)
            {
                writer.WriteLine();
            }

            var call = $"this.{enter.Invocation}({(enter.TakesPreviousState ? "previous" : string.Empty)});";
            if (enter.States.IsEmpty)
            {
                writer.WriteLine(call);
                continue;
            }

            writer.WriteLine($"if (this.__mobilityState is {string.Join(" or ", enter.States)})");
            writer.OpenBlock();
            writer.WriteLine(call);
            writer.CloseBlock();
        }

        writer.CloseBlock();
    }
}
