using MemoryPack;

namespace Mobility.Transport;

/// <summary>
/// A message of the handshake, one per frame, MemoryPack-encoded as a union so that every step can
/// also receive a <see cref="Reject"/>. The sequence (client → server unless noted):
/// <see cref="Hello"/>; server → client <see cref="HelloAnswer"/> or <see cref="Reject"/>;
/// <see cref="ClientProof"/> or <see cref="Reject"/>; server → client <see cref="Welcome"/> or <see cref="Reject"/>.
/// </summary>
/// <remarks>Strings use <see cref="WireStringAttribute"/>: these bytes come from unauthenticated peers.</remarks>
[MemoryPackable]
[MemoryPackUnion(0, typeof(Hello))]
[MemoryPackUnion(1, typeof(HelloAnswer))]
[MemoryPackUnion(2, typeof(ClientProof))]
[MemoryPackUnion(3, typeof(Welcome))]
[MemoryPackUnion(4, typeof(Reject))]
internal partial interface IHandshakeMessage;

/// <summary>The client introduces itself and sends its fresh challenge.</summary>
/// <param name="ProtocolVersion">The handshake protocol version the client speaks.</param>
/// <param name="NodeName">The client's node name.</param>
/// <param name="Purpose">Why the client connects.</param>
/// <param name="Nonce">32 fresh random bytes.</param>
[MemoryPackable]
internal sealed partial record Hello(
    int ProtocolVersion,
    [property: WireString] string NodeName,
    ConnectionPurpose Purpose,
    byte[] Nonce) : IHandshakeMessage;

/// <summary>The server introduces itself, sends its fresh challenge and proves it knows the cookie.</summary>
/// <param name="ProtocolVersion">The handshake protocol version the server speaks.</param>
/// <param name="NodeName">The server's node name.</param>
/// <param name="Nonce">32 fresh random bytes.</param>
/// <param name="Proof">HMAC-SHA256 of the "server" proof material (see <see cref="HandshakeProof"/>).</param>
[MemoryPackable]
internal sealed partial record HelloAnswer(
    int ProtocolVersion,
    [property: WireString] string NodeName,
    byte[] Nonce,
    byte[] Proof) : IHandshakeMessage;

/// <summary>The client proves it knows the cookie.</summary>
/// <param name="Proof">HMAC-SHA256 of the "client" proof material (see <see cref="HandshakeProof"/>).</param>
[MemoryPackable]
internal sealed partial record ClientProof(byte[] Proof) : IHandshakeMessage;

/// <summary>The server authenticated the client and accepted it: the connection carries frames from now on.</summary>
[MemoryPackable]
internal sealed partial record Welcome : IHandshakeMessage;

/// <summary>Either side gives up on the handshake and says why; the connection closes after it.</summary>
/// <param name="Failure">What kind of failure it is.</param>
/// <param name="Reason">What happened, for the peer's log.</param>
[MemoryPackable]
internal sealed partial record Reject(
    HandshakeFailure Failure,
    [property: WireString] string Reason) : IHandshakeMessage;
