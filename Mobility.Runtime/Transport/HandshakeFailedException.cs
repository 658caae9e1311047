namespace Mobility.Transport;

/// <summary>
/// A connection could not be authenticated. <see cref="Failure"/> says what kind of problem it was
/// and <see cref="Reason"/> says what happened, in words fit for a log.
/// </summary>
internal sealed class HandshakeFailedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public HandshakeFailedException(HandshakeFailure failure, string reason, Exception? innerException = null)
        : base($"The handshake failed ({failure}): {reason}", innerException)
    {
        Failure = failure;
        Reason = reason;
    }

    /// <summary>What kind of failure it was.</summary>
    public HandshakeFailure Failure { get; }

    /// <summary>What happened, as the side that detected it (or the peer that rejected us) put it.</summary>
    public string Reason { get; }
}
