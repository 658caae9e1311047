namespace Mobility;

/// <summary>
/// Marks a method of a <see cref="MobileProcessAttribute">mobile process</see> as a request/reply
/// handler (gen_server's <c>call</c>). The generator adds a <c>{Name}Async</c> extension method on
/// <see cref="ProcessRef{T}"/> that sends the request and awaits the reply.
/// </summary>
/// <remarks>
/// A call handler may return <c>void</c>, a value, <see cref="ValueTask"/>, <see cref="ValueTask{TResult}"/>,
/// <see cref="Task"/> or <see cref="Task{TResult}"/>. Its parameters and result must be encodable by
/// MemoryPack; a trailing <see cref="CancellationToken"/> parameter receives the caller's token.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class CallAttribute : Attribute
{
    /// <summary>
    /// The name of the message, when it is not the method's name: in a <see cref="StateMachineAttribute">state
    /// machine</see>, handlers with the same event name serve one message in different states
    /// (<see cref="WhenAttribute">[When]</see>). The generated extension method takes this name.
    /// </summary>
    public string? Event { get; set; }
}
