using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using OrleansFleet.Hosting.Apis;
using OrleansFleet.Hosting.Security;

namespace OrleansFleet.Hosting;

/// <summary>
/// Makes <c>/openapi/v1.json</c> the contract that generated clients can trust: what the server accepts (request
/// schemas), what it always sends (required response fields), and the answers each endpoint can give. The generator
/// gets the shapes from the types; these transformers add what types cannot say (optional fields of the request
/// documents, enums of query strings, bounds, the <c>Retry-After</c> header).
/// </summary>
internal static class FleetOpenApi
{
    private static readonly string[] ReportedStatuses = ["running", "shutdown", "maintenance", "fault"];

    /// <summary>Request documents and the fields a client may leave out of them; every other field is required.</summary>
    private static readonly Dictionary<Type, string[]> RequestFields = new()
    {
        [typeof(TelemetryEventDocument)] = ["deviceId", "timestamp"],
        [typeof(AlarmRuleDocument)] = ["id", "metric", "threshold"],
    };

    public static IServiceCollection AddFleetOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        // The API only: the dashboard's own endpoints are internal to it, and the health probes answer plain text
        // for orchestrators (the document's description names them).
        options.ShouldInclude = endpoint => endpoint.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            FleetOpenApiSecurity.Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation);
            FleetOpenApiSecurity.Describe(operation, context);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo is null)
            {
                Describe(schema, context.JsonTypeInfo.Type);
            }

            return Task.CompletedTask;
        });
    });

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "OrleansFleet API",
            Version = "v1",
            Description = "Telemetry ingestion, devices, alarms and rules of an OrleansFleet cluster. Every error is an RFC 9457 problem (application/problem+json). "
                + "A device that has never reported is 404 on every read about it; PUT rules may come first. "
                + "Not part of this document: the health probes GET /health/live and GET /health/ready (plain text, for orchestrators) and the Orleans dashboard under /dashboard.",
        };

        // The generator takes the request's base address, which ends with a slash; paths start with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Telemetry", Description = "Ingestion: batches of device events, validated whole, accepted into the telemetry stream." },
            new() { Name = "Devices", Description = "One device: its live model, alarms, telemetry history and rules." },
            new() { Name = "Fleet", Description = "Fleet-wide queries served by the read model: open alarms and the summary." },
        };
    }

    private static void Describe(OpenApiOperation operation)
    {
        if (operation.Responses?.TryGetValue("503", out var unavailable) == true && unavailable is OpenApiResponse response)
        {
            response.Description = "The cluster or a store is unavailable; retry after Retry-After seconds (resending is safe).";
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            };
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            (parameter.Description, parameter.Schema) = parameter.Name switch
            {
                "deviceId" => ("The device id: 1–128 characters of A-Z a-z 0-9 . _ : -", IdSchema()),
                "alarmId" => ("The alarm id, as the alarm lists show it (a1, a2, …).", IdSchema()),
                "state" when operation.OperationId == "GetDeviceAlarms" => ("active (the default): alarms not yet cleared; all: with the cleared history, newest first.", EnumSchema("active", "all")),
                "state" => ("active (the default and only value): every alarm not yet cleared.", EnumSchema("active")),
                "severity" => ("Only alarms of this severity.", EnumSchema("info", "warning", "critical")),
                "limit" => ("Items per page, 1–1000 (default 100).", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = "1000", Default = 100 }),
                "from" => ("Earliest reading time, inclusive (ISO 8601; no offset means UTC).", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
                "to" => ("Latest reading time, inclusive (ISO 8601; no offset means UTC).", new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }),
                "continuationToken" => ("The continuationToken of the previous page, to read the next one.", new OpenApiSchema { Type = JsonSchemaType.String }),
                _ => (parameter.Description, parameter.Schema),
            };
        }
    }

    private static void Describe(OpenApiSchema schema, Type type)
    {
        if (type == typeof(ProblemDetails) || type == typeof(HttpValidationProblemDetails))
        {
            // RFC 9457 allows extension members, and the server adds traceId to every problem.
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Identifies the request in the server's logs and traces." };
            schema.Required = type == typeof(HttpValidationProblemDetails) ? new HashSet<string> { "title", "status", "errors" } : new HashSet<string> { "title", "status" };
            return;
        }

        if (type.Namespace?.StartsWith("OrleansFleet", StringComparison.Ordinal) != true || schema.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        if (!RequestFields.TryGetValue(type, out var required))
        {
            // A response: the server writes every property, null included.
            schema.Required = new HashSet<string>(properties.Keys);
            return;
        }

        schema.Required = new HashSet<string>(required);
        if (type == typeof(TelemetryEventDocument))
        {
            properties["deviceId"] = IdSchema(properties["deviceId"].Description);
            properties["seq"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1", Description = properties["seq"].Description };
            properties["metrics"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" },
                Description = properties["metrics"].Description,
            };
            var status = EnumSchema(ReportedStatuses);
            status.Description = properties["status"].Description;
            properties["status"] = status;

            // An event carries metrics, a status, or both.
            schema.AnyOf = [new OpenApiSchema { Required = new HashSet<string> { "metrics" } }, new OpenApiSchema { Required = new HashSet<string> { "status" } }];
        }
    }

    private static OpenApiSchema IdSchema(string? description = null) =>
        new() { Type = JsonSchemaType.String, Pattern = DeviceId.Pattern, MinLength = 1, MaxLength = 128, Description = description };

    private static OpenApiSchema EnumSchema(params string[] values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
}
