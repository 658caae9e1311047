using System.Diagnostics.CodeAnalysis;
using MemoryPack;
using Microsoft.Extensions.DependencyInjection;
using Mobility.Generated;

namespace Mobility.Processes;

/// <summary>Decodes a message addressed to one handler of a process type.</summary>
internal delegate ProcessMessage MessageReader(int handlerId, ref MemoryPackReader reader);

/// <summary>
/// A process type a node knows and may instantiate: registered through
/// <c>AddMobileProcesses()</c> or <c>AddMobileProcess&lt;T&gt;()</c>, never discovered.
/// </summary>
internal sealed class ProcessType
{
    private readonly Func<IServiceProvider, IMobileProcess> _create;
    private readonly Func<ProcessId, string, IProcessRouter, ProcessRef> _createRef;

    private ProcessType(
        string typeId,
        Type clrType,
        Func<IServiceProvider, IMobileProcess> create,
        Func<ProcessId, string, IProcessRouter, ProcessRef> createRef,
        MessageReader readMessage)
    {
        TypeId = typeId;
        ClrType = clrType;
        _create = create;
        _createRef = createRef;
        ReadMessage = readMessage;
    }

    public string TypeId { get; }

    public Type ClrType { get; }

    public MessageReader ReadMessage { get; }

    public static ProcessType Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>()
        where T : class, IMobileProcess<T>
    {
        var factory = ActivatorUtilities.CreateFactory<T>(Type.EmptyTypes);
        return new ProcessType(
            T.TypeId,
            typeof(T),
            services => factory(services, null),
            (id, node, router) => new ProcessRef<T>(id, node, router),
            T.ReadMessage);
    }

    /// <summary>Creates an instance through dependency injection.</summary>
    public IMobileProcess Create(IServiceProvider services) => _create(services);

    public ProcessRef CreateRef(ProcessId id, string nodeName, IProcessRouter router) => _createRef(id, nodeName, router);
}
