using Mobility.Cluster;
using Mobility.Diagnostics;
using Mobility.Processes;

namespace Mobility.Nodes;

/// <summary>
/// Sends cluster messages to a member or across a link to another cluster, dialling a link that this node opened
/// again when it is needed. Never throws for a peer that is gone: it says so.
/// </summary>
internal sealed class NodeSender(NodeContext node)
{
    /// <summary>Whether <paramref name="peer"/> is connected now.</summary>
    public bool IsConnected(PeerAddress peer) => node.Membership?.IsConnected(peer.Name) ?? false;

    /// <summary>
    /// Like <see cref="TrySendAsync(PeerAddress, IClusterMessage, ISequenceSource?)"/>, to a peer known by name (a reply's
    /// or an answer's): its address is read from the name only if it must be dialled again.
    /// </summary>
    public Task<bool> TrySendAsync(string peer, IClusterMessage message) => TrySendAsync(peer, address: null, message, numberFrom: null);

    /// <summary>
    /// Sends a message to a member or across a link, dialling a link again if needed. A message posted here without a
    /// number takes it from <paramref name="numberFrom"/> as it is queued (or before waiting for a connection, so that
    /// it keeps its place among this node's messages).
    /// </summary>
    /// <returns>False if it could not be sent.</returns>
    public Task<bool> TrySendAsync(PeerAddress peer, IClusterMessage message, ISequenceSource? numberFrom = null) =>
        TrySendAsync(peer.Name, peer, message, numberFrom);

    private async Task<bool> TrySendAsync(string name, PeerAddress? address, IClusterMessage message, ISequenceSource? numberFrom)
    {
        if (node.Membership is not { } membership)
        {
            return false;
        }

        if (!membership.IsConnected(name))
        {
            Number(message as DeliverMessage, numberFrom);
            if (!await TryRelinkAsync(address ?? PeerAddress.Parse(name)).ConfigureAwait(false))
            {
                return false;
            }
        }

        try
        {
            if (numberFrom is not null && message is DeliverMessage deliver)
            {
                await membership.SendNumberedAsync(name, deliver, numberFrom).ConfigureAwait(false);
            }
            else
            {
                await membership.SendAsync(name, message).ConfigureAwait(false);
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Gives a message posted here its number now, if it has none yet.</summary>
    public static void Number(DeliverMessage? wire, ISequenceSource? numberFrom)
    {
        if (wire is { Sequence: 0 } && numberFrom is not null)
        {
            wire.Sequence = numberFrom.NextSequence();
        }
    }

    /// <summary>A link to another cluster that this node dialled is dialled again when needed; nothing else can be.</summary>
    private async Task<bool> TryRelinkAsync(PeerAddress peer)
    {
        if (peer.Kind != PeerAddress.PeerKind.DialledLink)
        {
            return false;
        }

        try
        {
            await node.Membership!.LinkAsync(peer.Host!, peer.Port, CancellationToken.None).WaitAsync(node.Options.MigrationTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or InvalidOperationException)
        {
            Log.LinkUnavailable(node.Logger, peer.Name, exception.Message);
            return false;
        }
    }
}
