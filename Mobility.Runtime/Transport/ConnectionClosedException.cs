namespace Mobility.Transport;

/// <summary>
/// A frame could not be queued because its connection is closed (or closing). <see cref="Reason"/>
/// is the connection's <see cref="PeerConnection.CloseReason"/>; open a new connection to go on.
/// </summary>
internal sealed class ConnectionClosedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionClosedException(string remoteNodeName, string reason)
        : base($"The connection to node '{remoteNodeName}' is closed: {reason}")
    {
        RemoteNodeName = remoteNodeName;
        Reason = reason;
    }

    /// <summary>The node at the other end of the closed connection.</summary>
    public string RemoteNodeName { get; }

    /// <summary>Why the connection closed.</summary>
    public string Reason { get; }
}
