using System.Text.Json;
using Scalar.AspNetCore;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OrleansFleet.Hosting.Apis;
using OrleansFleet.Hosting.Health;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Hosting.Ingestion;
using OrleansFleet.Hosting.Queries;

namespace OrleansFleet.Hosting;

/// <summary>The HTTP side of the host: JSON conventions, problem details, health, OpenAPI and the endpoints.</summary>
internal static class FleetApiExtensions
{
    public static WebApplicationBuilder AddFleetApi(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            // camelCase names (the web default) and camelCase enum strings: "status": "shutdown".
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            // A misspelled field is an error, not silently ignored.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // Numbers are JSON numbers: "threshold": "100" is an error, and the OpenAPI schemas say "number", not
            // "number or numeric string" (the web default reads numbers from strings).
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddFleetOpenApi();
        builder.AddFleetSecurity();
        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);
        // Both hosts ingest into the durable stream and read the tables, so both answer for them in /health/ready.
        builder.Services.AddFleetDependencyHealthChecks(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TelemetryIngestor>();
        builder.Services.AddSingleton<FleetQueries>();
        builder.AddFleetTraffic();
        return builder;
    }

    public static WebApplication MapFleetEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseFleetSecurity();
        // The contract, its reference for people (/scalar) and the probes are public: they reveal no fleet data.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapTelemetryApi();
        app.MapDevicesApi();
        app.MapDeviceTelemetryApi();
        app.MapFleetApi();
        app.MapHotDevicesApi();
        // The pages and their assets carry no policy of their own: the fallback policy asks for read.
        app.MapFleetPages();
        return app;
    }
}
