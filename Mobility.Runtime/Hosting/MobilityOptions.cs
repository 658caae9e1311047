namespace Mobility;

/// <summary>Configuration of a <see cref="MobilityNode"/>, set through <c>AddMobility(options => ...)</c>.</summary>
public sealed class MobilityOptions
{
    /// <summary>The node's name, unique in its cluster. Defaults to the machine name and OS process id.</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}";

    /// <summary>How long a call waits for its reply unless the reference overrides it. Default: 5 seconds, like gen_server.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeName))
        {
            throw new ArgumentException("MobilityOptions.NodeName must be a non-empty name, unique in the cluster.", nameof(NodeName));
        }

        if (CallTimeout <= TimeSpan.Zero && CallTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "MobilityOptions.CallTimeout must be positive, or Timeout.InfiniteTimeSpan.");
        }
    }
}
