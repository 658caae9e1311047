namespace Mobility.Generators.Model;

/// <summary>How a state member is read back into a new instance.</summary>
internal enum StateMemberKind
{
    /// <summary>A mutable field: <c>this.x = ...</c>.</summary>
    Field,

    /// <summary>A readonly field: assigned through <c>Unsafe.AsRef(in this.x)</c>.</summary>
    ReadOnlyField,

    /// <summary>An auto-property with a (non-init) setter: <c>this.P = ...</c>.</summary>
    SettableProperty,

    /// <summary>A get-only or init auto-property: read through its getter, assigned through its backing field.</summary>
    GetOnlyProperty,

    /// <summary>A property whose accessors cannot be used as they are: read and assigned through its backing field.</summary>
    BackingField,
}

/// <summary>One member of a process's migrating state.</summary>
/// <param name="Name">The member's name as written in C# after <c>this.</c> (keyword escaped).</param>
/// <param name="Type">The member's fully qualified type, with nullable annotations.</param>
/// <param name="Kind">How it is read and written.</param>
/// <param name="BackingFieldName">The compiler's backing field name (properties only), e.g. <c>&lt;Version&gt;k__BackingField</c>.</param>
/// <param name="AccessorName">The generated <c>UnsafeAccessor</c> method reaching the backing field (properties read through it only).</param>
internal sealed record StateMember(string Name, string Type, StateMemberKind Kind, string? BackingFieldName, string? AccessorName);
