namespace Mobility.Migration;

/// <summary>An out-of-cluster destination reached over TCP.</summary>
internal sealed class TcpDestination(string host, int port) : Destination
{
    public string Host { get; } = host;

    public int Port { get; } = port;

    public override bool Equals(Destination? other) =>
        other is TcpDestination tcp && tcp.Port == Port && string.Equals(tcp.Host, Host, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(Host.ToUpperInvariant(), Port);

    public override string ToString() => $"tcp://{Host}:{Port}";
}
