namespace Mobility;

/// <summary>
/// Identifies one monitor (returned by <c>Monitor</c> and <see cref="MobilityNode.MonitorAsync"/>, carried by
/// <see cref="Down"/>, accepted by <c>Demonitor</c>). A value: encodable, comparable, unique cluster-wide.
/// </summary>
/// <param name="Value">The monitor's random id.</param>
public readonly record struct MonitorRef(Guid Value)
{
    /// <summary>A new, unique monitor id.</summary>
    internal static MonitorRef New() => new(Guid.NewGuid());

    /// <summary>32 lowercase hex digits.</summary>
    public override string ToString() => Value.ToString("N");
}
