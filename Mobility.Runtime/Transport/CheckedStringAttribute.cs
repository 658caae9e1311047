using MemoryPack;

namespace Mobility.Transport;

/// <summary>
/// Marks a string member of a <c>[MemoryPackable]</c> wire message to be read by
/// <see cref="CheckedStringFormatter"/> (MemoryPack's generated code would otherwise call its
/// unchecked string reader directly).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
internal sealed class CheckedStringAttribute : MemoryPackCustomFormatterAttribute<CheckedStringFormatter, string>
{
    /// <inheritdoc />
    public override CheckedStringFormatter GetFormatter() => CheckedStringFormatter.Instance;
}
