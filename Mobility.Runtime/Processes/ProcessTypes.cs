using Mobility.Monitoring;
using Mobility.Processes;

namespace Mobility.Processes;

/// <summary>The process types a node may instantiate: those registered with it, never discovered.</summary>
internal sealed class ProcessTypes
{
    private readonly Dictionary<Type, ProcessType> _byClrType = [];
    private readonly Dictionary<string, ProcessType> _byId = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">Two types share a type id.</exception>
    public ProcessTypes(IEnumerable<ProcessType> types)
    {
        foreach (var type in types)
        {
            if (_byId.TryGetValue(type.TypeId, out var other) && other.ClrType != type.ClrType)
            {
                throw new InvalidOperationException(
                    $"Process types '{other.ClrType.AssemblyQualifiedName}' and '{type.ClrType.AssemblyQualifiedName}' share the type id '{type.TypeId}'; a node must tell them apart.");
            }

            _byId[type.TypeId] = type;
            _byClrType[type.ClrType] = type;
        }
    }

    public bool TryFind(string typeId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ProcessType? type) => _byId.TryGetValue(typeId, out type);

    /// <exception cref="InvalidOperationException">The type is not registered with node <paramref name="node"/>.</exception>
    public ProcessType Of(Type clrType, string node) =>
        _byClrType.TryGetValue(clrType, out var type)
            ? type
            : throw new InvalidOperationException(
                $"Process type '{clrType.FullName}' is not registered with node '{node}'. Call services.AddMobileProcesses() " +
                "(generated for every [MobileProcess] class of your assembly) or services.AddMobileProcess<T>() when you build the node.");

    /// <summary>A reference of the right type if this node knows it, or one of an unknown type.</summary>
    public ProcessRef RefTo(ProcessId id, string typeId, string node, IProcessRouter router) =>
        _byId.TryGetValue(typeId, out var type) ? type.CreateRef(id, node, router) : new AnyProcessRef(id, typeId, node, router);
}
