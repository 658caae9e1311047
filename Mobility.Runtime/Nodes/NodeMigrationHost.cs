using MemoryPack;
using Microsoft.Extensions.Logging;
using Mobility.Cluster;
using Mobility.Generated;
using Mobility.Migration;
using Mobility.Processes;
using Mobility.Registry;

namespace Mobility.Nodes;

/// <summary>The node's side of the seam migration works through (<see cref="IMigrationHost"/>).</summary>
internal sealed class NodeMigrationHost(NodeContext node, MessageRouter router, CrossClusterLinks links, Func<ProcessType, ProcessId, IMobileProcess, LocalProcess> create)
    : IMigrationHost
{
    public string NodeName => node.Name;

    public bool IsRunning => node.IsRunning;

    public ILogger Logger => node.Logger;

    public IServiceProvider Services => node.Services;

    public MemoryPackSerializerOptions SerializerOptions => node.SerializerOptions;

    public ProcessTypes Types => node.Types;

    public ProcessRoutes Routes => node.Routes;

    public HeldNames Names => node.Names;

    public ClusterDirectory Directory => node.Directory;

    public DeliverMessage ToWire(ProcessId target, string typeId, Envelope envelope, PeerAddress peer) =>
        router.ToWire(target, typeId, envelope, peer, WireCodec.EncodeArguments(envelope.Message, node.SerializerOptions)); // queued in an offer: no frame of its own

    public void ForgetWired(IEnumerable<DeliverMessage> messages) => router.ForgetWired(messages);

    public Envelope FromWire(ProcessType type, DeliverMessage wire) => router.FromWire(type, wire, default);

    public void ForwardAll(ProcessId id, string typeId, IReadOnlyList<Envelope> messages) => router.ForwardAll(id, typeId, messages);

    public LocalProcess Create(ProcessType type, ProcessId id, IMobileProcess instance) => create(type, id, instance);

    public void ArrivedOverLink(ProcessId id, PeerAddress link) => links.ArrivedVia(id, link);

    public void Left(ProcessId id, PeerAddress destination) => links.Left(id, destination);
}
