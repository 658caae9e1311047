namespace Mobility.Transport;

/// <summary>What a successful handshake established about the peer.</summary>
/// <param name="RemoteNodeName">The peer's node name, authenticated by its proof of the cookie.</param>
/// <param name="Purpose">Why the client opened the connection.</param>
internal sealed record HandshakeResult(string RemoteNodeName, ConnectionPurpose Purpose);
