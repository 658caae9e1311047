namespace Mobility;

/// <summary>
/// The location-independent identity of a mobile process: 128 random bits, fixed at spawn and
/// kept across every migration.
/// </summary>
public readonly struct ProcessId : IEquatable<ProcessId>, IComparable<ProcessId>
{
    private readonly Guid _value;

    private ProcessId(Guid value) => _value = value;

    /// <summary>Creates a new random id.</summary>
    public static ProcessId New() => new(Guid.NewGuid());

    /// <summary>Parses the text form written by <see cref="ToString"/>.</summary>
    public static ProcessId Parse(string text) => new(Guid.ParseExact(text, "N"));

    /// <summary>The id as a <see cref="Guid"/>.</summary>
    public Guid ToGuid() => _value;

    /// <summary>Creates an id from its <see cref="Guid"/> form.</summary>
    public static ProcessId FromGuid(Guid value) => new(value);

    /// <inheritdoc />
    public bool Equals(ProcessId other) => _value.Equals(other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ProcessId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(ProcessId other) => _value.CompareTo(other._value);

    /// <summary>32 lowercase hex digits.</summary>
    public override string ToString() => _value.ToString("N");

    /// <summary>Equality.</summary>
    public static bool operator ==(ProcessId left, ProcessId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ProcessId left, ProcessId right) => !left.Equals(right);
}
