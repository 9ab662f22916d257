using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Streaming.Redis.Hosting;

/// <summary>Services both the silo and the client side of provider need.</summary>
internal static class RedisTelemetryStreamServices
{
    public static void Add(IServiceCollection services, string name)
    {
        services.AddOptions<RedisTelemetryStreamOptions>(name);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisTelemetryStreamOptions>, RedisTelemetryStreamOptionsValidator>());
        services.TryAddKeyedSingleton(name, (sp, _) =>
            new RedisTelemetryConnection(sp.GetRequiredService<IOptionsMonitor<RedisTelemetryStreamOptions>>().Get(name)));
    }
}
