namespace Mobility;

/// <summary>
/// Marks a <c>partial</c> class as a mobile process: one object, one mailbox, one loop, able to
/// move between nodes. The Mobility source generator writes its message dispatch, its state
/// snapshot/restore and its typed <see cref="ProcessRef{T}"/> extension methods.
/// </summary>
/// <remarks>
/// Every instance field (and auto-property) not marked <see cref="TransientAttribute"/> is state:
/// it is snapshotted with MemoryPack and travels with the process.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class MobileProcessAttribute : Attribute
{
}
