namespace Mobility.Migration;

/// <summary>An in-cluster destination.</summary>
internal sealed class NodeDestination(string name) : Destination
{
    public string Name { get; } = name;

    public override bool Equals(Destination? other) => other is NodeDestination node && node.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"node '{Name}'";
}
