namespace Mobility;

/// <summary>
/// Excludes a field (or auto-property) of a mobile process from its migrating state. Transient
/// members are not snapshotted; after a restore or a migration they hold what the constructor
/// (dependency injection) gave the new instance.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class TransientAttribute : Attribute
{
}
