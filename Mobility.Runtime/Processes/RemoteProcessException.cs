namespace Mobility;

/// <summary>
/// A handler on another node threw. The exception object cannot cross the wire; its type name and
/// message do.
/// </summary>
public sealed class RemoteProcessException : MobilityException
{
    /// <summary>Creates the exception.</summary>
    public RemoteProcessException(string remoteType, string remoteMessage)
        : base($"{remoteType}: {remoteMessage}")
    {
        RemoteType = remoteType;
        RemoteMessage = remoteMessage;
    }

    /// <summary>The full name of the exception type the handler threw.</summary>
    public string RemoteType { get; }

    /// <summary>Its message.</summary>
    public string RemoteMessage { get; }
}
