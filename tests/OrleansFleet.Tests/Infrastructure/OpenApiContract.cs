using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OrleansFleet.Tests.Infrastructure;

/// <summary>
/// The host's OpenAPI 3.1 document as a checker: finds the operation of a request and validates a request or response
/// body against the document's JSON Schema for it (JsonSchema.Net, draft 2020-12, which OpenAPI 3.1 schemas are).
/// </summary>
internal sealed class OpenApiContract
{
    private readonly JsonObject _document;
    private readonly List<(Regex Pattern, string Template)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    private OpenApiContract(JsonObject document)
    {
        _document = document;
        _paths = [.. document["paths"]!.AsObject().Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^/]+\}", "[^/]+") + "$"), p.Key))];
    }

    public static OpenApiContract Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    /// <summary>The document's path template for a request path, or null when the document does not describe it.</summary>
    public string? TemplateOf(string path) => _paths.FirstOrDefault(p => p.Pattern.IsMatch(path)).Template;

    /// <summary>Checks an answer; null when the path is not in the document (not part of the API), else the violations.</summary>
    public IReadOnlyList<string>? CheckResponse(HttpMethod method, string path, int status, string? mediaType, string body)
    {
        if (TemplateOf(path) is not { } template)
        {
            return null;
        }

        var where = $"{method} {template} → {status}";
        if (Operation(method, template) is not { } operation)
        {
            return [$"{where}: the document has no {method} operation on {template}"];
        }

        var response = operation["responses"]?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (response is null)
        {
            return [$"{where}: the status is not documented (documented: {string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))})"];
        }

        if (response["content"] is not JsonObject content || content.Count == 0)
        {
            return body.Length == 0 ? [] : [$"{where}: documented without a body, but the server sent one: {body}"];
        }

        if (mediaType is null || content[mediaType] is not { } media)
        {
            return [$"{where}: the media type '{mediaType}' is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})"];
        }

        return Validate($"{where} {mediaType}", media["schema"]!, body);
    }

    /// <summary>Checks a request body against the operation's request schema.</summary>
    public IReadOnlyList<string> CheckRequest(HttpMethod method, string path, string body)
    {
        var template = TemplateOf(path) ?? throw new ArgumentException($"{path} is not in the document", nameof(path));
        var schema = Operation(method, template)?["requestBody"]?["content"]?["application/json"]?["schema"]
            ?? throw new ArgumentException($"{method} {template} has no JSON request body in the document", nameof(method));
        return Validate($"{method} {template} request", schema, body);
    }

    private JsonNode? Operation(HttpMethod method, string template) => _document["paths"]![template]?[method.Method.ToLowerInvariant()];

    private List<string> Validate(string key, JsonNode schemaNode, string body)
    {
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return [$"{key}: the body is not JSON ({ex.Message}): {body}"];
        }

        using (instance)
        {
            var schema = _schemas.GetOrAdd(key, _ => Build(schemaNode));
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return [];
            }

            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{key}: at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Value}"))
                .ToList();
            return errors.Count > 0 ? errors : [$"{key}: invalid: {body}"];
        }
    }

    /// <summary>
    /// One self-contained schema: the operation's schema with the document's components as <c>$defs</c>, so its
    /// <c>#/components/schemas/X</c> references resolve inside it.
    /// </summary>
    private JsonSchema Build(JsonNode schemaNode)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _document["components"]?["schemas"]?.DeepClone() ?? new JsonObject(),
            ["allOf"] = new JsonArray(schemaNode.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.FromText(text, options, new Uri($"https://orleansfleet.test/{Guid.NewGuid():N}"));
    }
}
