namespace Mobility.Generators.Model;

/// <summary>Whether a handler is a call (the sender awaits a reply) or a cast (fire and forget).</summary>
internal enum HandlerKind
{
    Call,
    Cast,
}

/// <summary>What a handler returns, which decides how dispatch awaits it and what the reply carries.</summary>
internal enum ReturnKind
{
    /// <summary><c>void</c>.</summary>
    Void,

    /// <summary>A value of the result type.</summary>
    Value,

    /// <summary><c>Task</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfResult,

    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfResult,
}

/// <summary>One <c>[Call]</c> or <c>[Cast]</c> method of a process.</summary>
/// <param name="Name">The event's name: the method's name (metadata form) unless <c>Event</c> names it; used in the message class name and in <c>HandlerName</c>.</param>
/// <param name="Invocation">The method's name as written in C# after <c>this.</c> (keyword escaped).</param>
/// <param name="Kind">Call or cast.</param>
/// <param name="ReturnKind">What the method returns.</param>
/// <param name="ResultType">The reply type for calls (fully qualified; <c>NoResult</c> when the method returns nothing); null for casts.</param>
/// <param name="HasResult">Whether the caller gets a result back: false for casts and for calls whose reply type is <c>NoResult</c> (the method returns <c>void</c>, <c>Task</c>, <c>ValueTask</c> or <c>NoResult</c> itself), whose extension returns a plain <c>ValueTask</c>.</param>
/// <param name="ReturnMayBeNull">Whether the returned task is annotated nullable, so dispatch must not warn when awaiting it.</param>
/// <param name="Parameters">The parameters that travel in the message (all but a trailing <c>CancellationToken</c>).</param>
/// <param name="TakesCancellationToken">Whether the method's last parameter receives the caller's token.</param>
/// <param name="HandlerId">The stable id of the handler within its type.</param>
/// <param name="ExtensionName">The name of the <c>ProcessRef&lt;T&gt;</c> extension method (keyword escaped).</param>
/// <param name="ExtensionIsPublic">Whether the extension method can be public (every type of its signature is public).</param>
/// <param name="ProcessParameterName">The name of the extension's <c>this</c> parameter, clear of the handler's parameter names.</param>
/// <param name="CancellationTokenParameterName">The name of the extension's token parameter, clear of the handler's parameter names.</param>
/// <param name="Cref">The <c>cref</c> that documents the handler, e.g. <c>global::Demo.Counter.Increment(int)</c>.</param>
/// <param name="States">For a state machine's <c>[When]</c> handler, the states it serves (fully qualified enum members); empty otherwise.</param>
internal sealed record HandlerModel(
    string Name,
    string Invocation,
    HandlerKind Kind,
    ReturnKind ReturnKind,
    string? ResultType,
    bool HasResult,
    bool ReturnMayBeNull,
    EquatableArray<ParameterModel> Parameters,
    bool TakesCancellationToken,
    int HandlerId,
    string ExtensionName,
    bool ExtensionIsPublic,
    string ProcessParameterName,
    string CancellationTokenParameterName,
    string Cref,
    EquatableArray<string> States = default)
{
    /// <summary>Whether dispatch awaits the method.</summary>
    public bool IsAwaited => ReturnKind is ReturnKind.Task or ReturnKind.TaskOfResult or ReturnKind.ValueTask or ReturnKind.ValueTaskOfResult;
}

/// <summary>A handler parameter carried by its message.</summary>
/// <param name="Name">The parameter's name as written in C# (keyword escaped).</param>
/// <param name="FieldName">The message field holding it (the parameter name, unless that would hide a base member).</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
internal sealed record ParameterModel(string Name, string FieldName, string Type);
