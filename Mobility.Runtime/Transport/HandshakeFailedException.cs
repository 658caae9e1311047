namespace Mobility.Transport;

/// <summary>
/// A connection could not be authenticated. <see cref="Failure"/> says what kind of problem it was,
/// <see cref="Reason"/> says what happened (in words fit for a log), and the message adds what to check.
/// </summary>
internal sealed class HandshakeFailedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">What kind of failure it was.</param>
    /// <param name="reason">What happened.</param>
    /// <param name="peer">The peer's address, when known, for the message.</param>
    /// <param name="innerException">The error that ended the handshake, if any.</param>
    public HandshakeFailedException(HandshakeFailure failure, string reason, string? peer = null, Exception? innerException = null)
        : base(
            $"The handshake{(peer is null ? string.Empty : $" with {peer}")} failed ({failure}): {reason}. {Advice(failure)}",
            innerException)
    {
        Failure = failure;
        Reason = reason;
        Peer = peer;
    }

    /// <summary>What kind of failure it was.</summary>
    public HandshakeFailure Failure { get; }

    /// <summary>What happened, as the side that detected it (or the peer that rejected us) put it.</summary>
    public string Reason { get; }

    /// <summary>The peer's address, when known.</summary>
    public string? Peer { get; }

    /// <summary>The same failure, naming the peer.</summary>
    internal HandshakeFailedException WithPeer(string peer) => new(Failure, Reason, peer, InnerException);

    private static string Advice(HandshakeFailure failure) => failure switch
    {
        HandshakeFailure.WrongCookie => "Check that both nodes are configured with the same cookie.",
        HandshakeFailure.VersionMismatch => "Run compatible Mobility versions on both nodes.",
        HandshakeFailure.Refused => "The accepting node decided so; see the reason.",
        HandshakeFailure.Timeout => "Check that the peer is a Mobility node and is not overloaded, or raise the handshake timeout.",
        HandshakeFailure.Malformed => "The peer does not speak the Mobility transport protocol.",
        _ => "The peer or the network closed the connection; retry, or check the peer's log.",
    };
}
