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

    /// <summary>
    /// ASP.NET Core's meters beyond the hosting and Kestrel ones its instrumentation adds: routing, exception handling,
    /// rate limiting (the per-key limit), authentication and authorization.
    /// </summary>
    public static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization",
    ];

    /// <summary>Orleans' activity sources (<c>Orleans.Diagnostics.ActivitySources</c>): grain calls, lifecycle, storage.</summary>
    public static readonly string[] OrleansActivitySources =
        ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Lifecycle", "Microsoft.Orleans.Storage"];

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

        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, FleetMeters)
                .AddMeter(AspNetCoreMeters)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation();
                // Orleans' activity sources: grain calls (the silo's AddActivityPropagation), activation lifecycle and
                // grain storage. Only when traces go somewhere: a listener makes Orleans start an Activity for every
                // grain call, which nothing would read.
                if (exporting)
                {
                    tracing.AddSource(OrleansActivitySources);
                }
            });

        // Without an endpoint there is nowhere to send to: the providers still run (tests and dotnet-counters can
        // listen), but no exporter keeps retrying a collector that is not there.
        if (exporting)
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
