using System.Net;
using System.Text;
using System.Text.Json;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// Every endpoint group answers a missing or unknown key with 401 problem+json and <c>WWW-Authenticate</c>, a key
/// without the group's scope with 403 problem+json naming the scope, and lets a key with the scope through.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SecurityTests(ApiFactory factory)
{
    private static readonly string Event = $$$"""[{"deviceId":"security-probe","timestamp":"{{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}}","metrics":{"t":1}}]""";

    /// <summary>Method, path, body (null: none), the key that has the scope, one that lacks it.</summary>
    public static TheoryData<string, string, string?, string, string> Groups() => new()
    {
        { "POST", "/api/telemetry", Event, TestKeys.Ingest, TestKeys.Read },
        { "GET", "/api/devices/security-probe", null, TestKeys.Read, TestKeys.Ingest },
        { "GET", "/api/devices/security-probe/alarms", null, TestKeys.Read, TestKeys.Operate },
        { "GET", "/api/devices/security-probe/rules", null, TestKeys.Read, TestKeys.Operate },
        { "GET", "/api/devices/security-probe/telemetry", null, TestKeys.Read, TestKeys.Ingest },
        { "POST", "/api/devices/security-probe/alarms/a1/ack", null, TestKeys.Operate, TestKeys.Read },
        { "PUT", "/api/devices/security-probe/rules", "[]", TestKeys.Operate, TestKeys.Read },
        { "GET", "/api/alarms", null, TestKeys.Read, TestKeys.Ingest },
        { "GET", "/api/fleet/summary", null, TestKeys.Read, TestKeys.Operate },
        { "GET", "/dashboard", null, TestKeys.Read, TestKeys.Ingest },
        { "GET", "/api/fleet/hot", null, TestKeys.Read, TestKeys.Ingest },
        // The pages and their static assets carry no policy of their own: the fallback policy asks for read.
        { "GET", "/fleet", null, TestKeys.Read, TestKeys.Ingest },
        { "GET", "/fleet/devices/security-probe", null, TestKeys.Read, TestKeys.Operate },
        { "GET", "/fleet/assets/common.js", null, TestKeys.Read, TestKeys.Ingest },
    };

    /// <summary>The routes of <see cref="Groups"/> without their keys.</summary>
    public static TheoryData<string, string, string?> Routes()
    {
        var routes = new TheoryData<string, string, string?>();
        foreach (var row in Groups())
        {
            routes.Add((string)row[0], (string)row[1], (string?)row[2]);
        }

        return routes;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task No_key_is_401_problem_with_www_authenticate(string method, string path, string? body)
    {
        using var response = await SendAsync(null, method, path, body);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Api-Key");
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Unknown_key_is_401_problem(string method, string path, string? body)
    {
        using var response = await SendAsync(TestKeys.All + "-wrong", method, path, body);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Unknown API key.");
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task Key_without_the_scope_is_403_problem_naming_it(string method, string path, string? body, string _, string lacking)
    {
        using var response = await SendAsync(lacking, method, path, body);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "scope this endpoint needs");
    }

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task Key_with_the_scope_passes_authorization(string method, string path, string? body, string holding, string _)
    {
        using var response = await SendAsync(holding, method, path, body);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_and_the_contract_need_no_key(string path)
    {
        using var client = factory.CreateClientWithoutKey();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_names_the_scope_of_every_operation()
    {
        using var client = factory.CreateClient();
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        Assert.Equal("X-Api-Key", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
        var scopes = new Dictionary<string, string>();
        foreach (var path in root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var requirement = operation.Value.GetProperty("security")[0].GetProperty("ApiKey");
                scopes[operation.Value.GetProperty("operationId").GetString()!] = requirement[0].GetString()!;
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{operation.Name} {path.Name} documents no 401");
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("429", out _), $"{operation.Name} {path.Name} documents no 429");
            }
        }

        Assert.Equal("ingest", scopes["IngestTelemetry"]);
        Assert.Equal("operate", scopes["AcknowledgeAlarm"]);
        Assert.Equal("operate", scopes["SetDeviceRules"]);
        Assert.Equal("read", scopes["GetDevice"]);
        Assert.Equal("read", scopes["GetFleetSummary"]);
    }

    [Fact]
    public void Hash_key_command_prints_the_sha256_hex_of_the_key()
    {
        using var output = new StringWriter();

        Assert.True(ApiKeyHash.TryRunCommand(["hash-key", "abc"], output));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", output.ToString().Trim());
        Assert.False(ApiKeyHash.TryRunCommand(["--simulate", "8"], TextWriter.Null));
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string? key, string method, string path, string? body)
    {
        using var client = factory.CreateClientWithoutKey();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }
}
