using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The observability every OrleansFleet deployable shares, in one place (as eShop's ServiceDefaults): OpenTelemetry
/// metrics, traces and logs for Orleans, ASP.NET Core, HttpClient, the .NET runtime and our own <c>OrleansFleet*</c>
/// meters, exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (protocol, headers and
/// intervals follow the other standard <c>OTEL_*</c> settings).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The meters of OrleansFleet itself: every meter whose name starts with this (OpenTelemetry wildcard).</summary>
    public const string FleetMeters = "OrleansFleet*";

    /// <summary>Orleans' own meter (messaging, grains, catalog, storage, streams).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Adds OpenTelemetry with the OTLP exporter to the host.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, FleetMeters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                // Orleans' activity sources: grain calls are traced when the silo enables activity propagation.
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation());

        // Without an endpoint there is nowhere to send to: the providers still run (tests and dotnet-counters can
        // listen), but no exporter keeps retrying a collector that is not there.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
