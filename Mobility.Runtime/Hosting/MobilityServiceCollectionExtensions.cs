using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mobility.Generated;
using Mobility.Processes;

namespace Mobility;

/// <summary>Registers Mobility with a service collection.</summary>
public static class MobilityServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="MobilityNode"/> (also registered as an <see cref="IHostedService"/>).
    /// Register the process types it may run with the generated <c>AddMobileProcesses()</c>.
    /// </summary>
    public static IServiceCollection AddMobility(this IServiceCollection services, Action<MobilityOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MobilityOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(descriptor => descriptor.ServiceType == typeof(MobilityNode)))
        {
            return services;
        }

        services.AddSingleton(provider => new MobilityNode(
            provider,
            provider.GetRequiredService<IOptions<MobilityOptions>>().Value,
            provider.GetServices<ProcessType>(),
            provider.GetService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<MobilityNode>());
        return services;
    }

    /// <summary>
    /// Lets nodes of this container instantiate processes of type <typeparamref name="T"/>. The
    /// generated <c>AddMobileProcesses()</c> calls this for every <c>[MobileProcess]</c> class of its assembly.
    /// </summary>
    public static IServiceCollection AddMobileProcess<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this IServiceCollection services)
        where T : class, IMobileProcess<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(ProcessType) && descriptor.ImplementationInstance is ProcessType { ClrType: var type } && type == typeof(T)))
        {
            services.AddSingleton(ProcessType.Of<T>());
        }

        return services;
    }
}
