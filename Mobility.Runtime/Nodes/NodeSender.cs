using System.Buffers;
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

    /// <summary>Like <see cref="TrySendAsync(PeerAddress, IClusterMessage, ISequenceSource?)"/>, to a peer known by name.</summary>
    public Task<bool> TrySendAsync(string peer, IClusterMessage message) => TrySendCoreAsync(peer, null, message, 0, null, null);

    /// <summary>
    /// Like <see cref="TrySendAsync{TTrailer}(PeerAddress, ITrailedMessage, TTrailer, Action{TTrailer, IBufferWriter{byte}}, ISequenceSource?)"/>,
    /// to a peer known by name.
    /// </summary>
    /// <exception cref="Exception">What <paramref name="writeTrailer"/> threw: nothing was sent.</exception>
    public Task<bool> TrySendAsync<TTrailer>(string peer, ITrailedMessage message, TTrailer trailer, Action<TTrailer, IBufferWriter<byte>> writeTrailer) =>
        TrySendCoreAsync(peer, null, message, trailer, writeTrailer, null);

    /// <summary>
    /// Sends a message to a member or across a link, dialling a link again if needed. A message posted here without a
    /// number takes it from <paramref name="numberFrom"/> as it is queued (or before waiting for a connection, so that
    /// it keeps its place among this node's messages).
    /// </summary>
    /// <returns>False if it could not be sent.</returns>
    public Task<bool> TrySendAsync(PeerAddress peer, IClusterMessage message, ISequenceSource? numberFrom = null) =>
        TrySendCoreAsync(peer.Name, peer, message, 0, null, numberFrom);

    /// <summary>
    /// As <see cref="TrySendAsync(PeerAddress, IClusterMessage, ISequenceSource?)"/>, with what
    /// <paramref name="writeTrailer"/> writes from <paramref name="trailer"/> after the message in its frame (written
    /// straight into the frame, once per attempt).
    /// </summary>
    /// <returns>False if it could not be sent.</returns>
    /// <exception cref="Exception">What <paramref name="writeTrailer"/> threw (it cannot encode, or the frame grew too large): nothing was sent.</exception>
    public Task<bool> TrySendAsync<TTrailer>(
        PeerAddress peer, ITrailedMessage message, TTrailer trailer, Action<TTrailer, IBufferWriter<byte>> writeTrailer, ISequenceSource? numberFrom = null) =>
        TrySendCoreAsync(peer.Name, peer, message, trailer, writeTrailer, numberFrom);

    /// <param name="name">The peer's name.</param>
    /// <param name="peer">Its address, if known (parsed from <paramref name="name"/> only when it must be dialled again).</param>
    /// <param name="message">The message.</param>
    /// <param name="trailer">What <paramref name="writeTrailer"/> writes after the message.</param>
    /// <param name="writeTrailer">Writes the trailer; null for none.</param>
    /// <param name="numberFrom">Numbers a message posted here that has no number yet.</param>
    private async Task<bool> TrySendCoreAsync<TTrailer>(
        string name, PeerAddress? peer, IClusterMessage message, TTrailer trailer, Action<TTrailer, IBufferWriter<byte>>? writeTrailer, ISequenceSource? numberFrom)
    {
        if (node.Membership is not { } membership)
        {
            return false;
        }

        if (!membership.IsConnected(name))
        {
            Number(message as DeliverMessage, numberFrom);
            if (!await TryRelinkAsync(peer ?? PeerAddress.Parse(name)).ConfigureAwait(false))
            {
                return false;
            }
        }

        try
        {
            if (numberFrom is not null && message is DeliverMessage deliver)
            {
                await membership.SendNumberedAsync(name, deliver, numberFrom, trailer, writeTrailer).ConfigureAwait(false);
            }
            else if (writeTrailer is not null && message is ITrailedMessage trailed)
            {
                await membership.SendAsync(name, trailed, trailer, writeTrailer).ConfigureAwait(false);
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
