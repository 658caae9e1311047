namespace Mobility.Transport;

/// <summary>Why a peer opens a connection; the accepting node decides whether it allows that purpose.</summary>
internal enum ConnectionPurpose : byte
{
    /// <summary>A member of the same cluster: membership, directory, messages and in-cluster moves.</summary>
    Cluster = 1,

    /// <summary>A node of another cluster handing a process over to the mobility TCP server.</summary>
    Migration = 2,
}
