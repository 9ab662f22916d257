using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Kafka.Hosting;

/// <summary>Services both the silo and the client side of the provider need.</summary>
internal static class KafkaTelemetryStreamServices
{
    public static void Add(IServiceCollection services, string name)
    {
        services.AddOptions<KafkaTelemetryStreamOptions>(name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaTelemetryStreamOptions>, KafkaTelemetryStreamOptionsValidator>());
        // One producer per provider, disposed (flushed) with the host.
        services.TryAddKeyedSingleton(name, (sp, _) => new KafkaTelemetryProducer(
            sp.GetRequiredService<IOptionsMonitor<KafkaTelemetryStreamOptions>>().Get(name),
            sp.GetRequiredService<ILogger<KafkaTelemetryProducer>>()));
    }
}
