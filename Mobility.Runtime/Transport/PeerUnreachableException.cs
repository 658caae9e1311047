namespace Mobility.Transport;

/// <summary>
/// No TCP connection could be established to a peer (refused, unreachable, name not resolved, or
/// not within the connect timeout). The inner exception, when there is one, is the socket error.
/// </summary>
internal sealed class PeerUnreachableException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PeerUnreachableException(string endPoint, string reason, Exception? innerException = null)
        : base($"Could not connect to {endPoint}: {reason}. Check that the node is running and listening there.", innerException)
    {
        EndPoint = endPoint;
        Reason = reason;
    }

    /// <summary>The address that could not be reached, as given to the connector.</summary>
    public string EndPoint { get; }

    /// <summary>Why the connection could not be established.</summary>
    public string Reason { get; }
}
