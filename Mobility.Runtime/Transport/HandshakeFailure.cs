namespace Mobility.Transport;

/// <summary>Why a handshake did not authenticate a connection.</summary>
internal enum HandshakeFailure : byte
{
    /// <summary>A proof did not match: the two nodes do not share the cookie (or the peer replayed an old handshake).</summary>
    WrongCookie = 1,

    /// <summary>The two nodes speak different handshake protocol versions.</summary>
    VersionMismatch = 2,

    /// <summary>The accepting node refused the peer (for example, a node of that name is already connected).</summary>
    Refused = 3,

    /// <summary>The whole handshake did not complete within the handshake timeout.</summary>
    Timeout = 4,

    /// <summary>The peer sent something that is not a well-formed handshake message at that step.</summary>
    Malformed = 5,

    /// <summary>The connection closed or failed before the handshake completed.</summary>
    Closed = 6,
}
