using MemoryPack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mobility.Events;

namespace Mobility;

/// <summary>Registers event managers and their handler classes with a service collection.</summary>
public static class EventServiceCollectionExtensions
{
    /// <summary>Lets nodes of this container run <see cref="EventManager{TEvent}"/> processes for events <typeparamref name="TEvent"/>.</summary>
    public static IServiceCollection AddEventManager<TEvent>(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new EventHandlerTypes(provider.GetServices<EventHandlerType>()));
        return services.AddMobileProcess<EventManager<TEvent>>();
    }

    /// <summary>
    /// Lets event managers on nodes of this container hold handlers of class <typeparamref name="THandler"/>, and
    /// instantiate them from bytes (a handler added from another node, or arriving with a moving manager). A class
    /// not registered is refused: register it on every node its managers may move to.
    /// </summary>
    public static IServiceCollection AddEventHandler<THandler>(this IServiceCollection services)
        where THandler : class, IMemoryPackable<THandler>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new EventHandlerTypes(provider.GetServices<EventHandlerType>()));
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(EventHandlerType) && descriptor.ImplementationInstance is EventHandlerType { ClrType: var type } && type == typeof(THandler)))
        {
            services.AddSingleton(EventHandlerType.Of<THandler>());
        }

        return services;
    }
}
