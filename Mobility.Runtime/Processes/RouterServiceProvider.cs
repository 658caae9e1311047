using MemoryPack;

namespace Mobility.Processes;

/// <summary>
/// The <see cref="MemoryPackSerializerOptions.ServiceProvider"/> a node decodes with, so that every
/// <see cref="ProcessRef"/> read from bytes is bound to that node.
/// </summary>
internal sealed class RouterServiceProvider(Func<IProcessRouter> router) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(IProcessRouter) ? router() : null;

    public static MemoryPackSerializerOptions OptionsFor(IProcessRouter router) => OptionsFor(() => router);

    /// <summary>Options for a router that is wired after them (read when the first reference is decoded).</summary>
    public static MemoryPackSerializerOptions OptionsFor(Func<IProcessRouter> router) =>
        MemoryPackSerializerOptions.Default with { ServiceProvider = new RouterServiceProvider(router) };

    public static IProcessRouter? RouterOf(MemoryPackSerializerOptions? options) =>
        options?.ServiceProvider?.GetService(typeof(IProcessRouter)) as IProcessRouter;
}
