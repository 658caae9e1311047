using Microsoft.Extensions.Logging;

namespace Mobility.Cluster;

/// <summary>Log messages of cluster membership and of the cluster protocol.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(200, LogLevel.Information, "Node '{Node}' listens for its cluster on {EndPoint}")]
    public static partial void Listening(ILogger logger, string node, System.Net.EndPoint endPoint);

    [LoggerMessage(201, LogLevel.Information, "Node '{Peer}' is up (connected to '{Node}')")]
    public static partial void NodeUp(ILogger logger, string node, string peer);

    [LoggerMessage(202, LogLevel.Warning, "Node '{Peer}' is down for '{Node}': {Reason}")]
    public static partial void NodeDown(ILogger logger, string node, string peer, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Node '{Node}' could not join {Target}: {Reason}")]
    public static partial void JoinFailed(ILogger logger, string node, string target, string reason);

    [LoggerMessage(204, LogLevel.Warning, "Node '{Node}' closes its connection with '{Peer}': a frame could not be decoded")]
    public static partial void MalformedFrame(ILogger logger, string node, string peer, Exception exception);

    [LoggerMessage(205, LogLevel.Debug, "Node '{Node}' drops a second connection with '{Peer}'")]
    public static partial void DuplicateConnection(ILogger logger, string node, string peer);

    [LoggerMessage(206, LogLevel.Error, "Node '{Node}' failed handling a {Message} from '{Peer}'")]
    public static partial void HandlerFailed(ILogger logger, string node, string peer, string message, Exception exception);

    [LoggerMessage(207, LogLevel.Warning, "Node '{Node}' drops a {Message} from '{Peer}': no subsystem handles it")]
    public static partial void UnhandledMessage(ILogger logger, string node, string peer, string message);

    [LoggerMessage(208, LogLevel.Debug, "Node '{Node}' drops a {Message} from the link '{Peer}': only members of its cluster may send it")]
    public static partial void RefusedFromLink(ILogger logger, string node, string peer, string message);
}
