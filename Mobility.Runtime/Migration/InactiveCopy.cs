using Mobility.Cluster;
using Mobility.Processes;

namespace Mobility.Migration;

/// <summary>
/// A process received in an offer and held inactive until its commit. Its <see cref="Expiry"/> discards it if no
/// commit comes; disposing it (on commit, abort or loss of the source) also drops the timer's hold on the process,
/// whose state could not be collected otherwise.
/// </summary>
internal sealed class InactiveCopy(LocalProcess process, OfferMessage offer, PeerAddress via, CancellationTokenSource expiry)
{
    public LocalProcess Process { get; } = process;

    public OfferMessage Offer { get; } = offer;

    public PeerAddress Via { get; } = via;

    public CancellationTokenSource Expiry { get; } = expiry;
}
