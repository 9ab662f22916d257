using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Orleans.Configuration;

namespace OrleansFleet.Streaming.Redis.Hosting;

/// <summary>Services both the silo and the client side of provider need.</summary>
internal static class RedisTelemetryStreamServices
{
    public static void Add(IServiceCollection services, string name)
    {
        services.AddOptions<RedisTelemetryStreamOptions>(name);
        services.AddMetrics();
        services.TryAddSingleton<StreamingMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisTelemetryStreamOptions>, RedisTelemetryStreamOptionsValidator>());
        services.TryAddKeyedSingleton(name, (sp, _) =>
            new RedisTelemetryConnection(sp.GetRequiredService<IOptionsMonitor<RedisTelemetryStreamOptions>>().Get(name)));
        services.TryAddKeyedSingleton<RedisReceiverRegistry>(name);
        services.TryAddKeyedSingleton<ITelemetryAppender>(name, (sp, _) => new RedisTelemetryAppender(
            sp.GetRequiredService<IOptionsMonitor<RedisTelemetryStreamOptions>>().Get(name),
            sp.GetRequiredKeyedService<RedisTelemetryConnection>(name)));
        services.TryAddKeyedSingleton<ITelemetryStreamCommitter>(name, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<RedisTelemetryStreamOptions>>().Get(name);
            return new RedisTelemetryCommitter(
                options,
                options.ConsumerGroup ?? sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredKeyedService<RedisTelemetryConnection>(name),
                sp.GetRequiredKeyedService<RedisReceiverRegistry>(name));
        });
    }
}
