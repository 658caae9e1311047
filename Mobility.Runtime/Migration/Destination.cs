using Mobility.Migration;

namespace Mobility;

/// <summary>Where <c>SendMe</c> moves a process: a node of the same cluster, or a mobility TCP server outside it.</summary>
public abstract class Destination : IEquatable<Destination>
{
    private protected Destination()
    {
    }

    /// <summary>A node of the process's own cluster, by its name.</summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static Destination Node(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new NodeDestination(name);
    }

    /// <summary>A node of another cluster that runs the mobility TCP server.</summary>
    /// <exception cref="ArgumentException">The host is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is not in 1..65535.</exception>
    public static Destination Tcp(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new TcpDestination(host, port);
    }

    /// <inheritdoc />
    public abstract bool Equals(Destination? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Destination other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();
}
