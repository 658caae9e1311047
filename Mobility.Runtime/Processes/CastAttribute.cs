namespace Mobility;

/// <summary>
/// Marks a method of a <see cref="MobileProcessAttribute">mobile process</see> as a fire-and-forget
/// handler (gen_server's <c>cast</c>). The generator adds an extension method of the same name on
/// <see cref="ProcessRef{T}"/> that enqueues the message and returns at once.
/// </summary>
/// <remarks>
/// A cast handler returns <c>void</c>, <see cref="ValueTask"/> or <see cref="Task"/>. An exception it
/// throws is logged; the process keeps running.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false, AllowMultiple = false)]
public sealed class CastAttribute : Attribute
{
    /// <summary>
    /// The name of the message, when it is not the method's name: in a <see cref="StateMachineAttribute">state
    /// machine</see>, handlers with the same event name serve one message in different states
    /// (<see cref="WhenAttribute">[When]</see>). The generated extension method takes this name.
    /// </summary>
    public string? Event { get; set; }
}
