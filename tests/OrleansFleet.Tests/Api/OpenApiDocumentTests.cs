using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>The OpenAPI document as a contract: linted by a third-party linter, free of C# names, with a page for people.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class OpenApiDocumentTests(ApiFactory factory)
{
    private readonly HttpClient _client = factory.CreateValidatedClient();

    [Fact]
    public async Task Redocly_lint_finds_no_error_and_no_warning_that_its_configuration_does_not_justify()
    {
        var redocly = Path.Combine(Repository.Root, ".tools", "redocly", "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"Redocly CLI is not installed at {redocly}: ./scripts/test.sh installs it (ensure_redocly in scripts/services.sh).");

        var dir = Directory.CreateTempSubdirectory("openapi-lint-");
        try
        {
            // As a client at the README's address reads it (the test server's own name is localhost, which the linter flags).
            using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json") { Headers = { Host = "127.0.0.1:5080" } };
            using var document = await _client.SendAsync(request);
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "openapi.json"), await document.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            foreach (var config in new[] { "redocly.yaml", ".redocly.lint-ignore.yaml" })
            {
                File.Copy(Path.Combine(AppContext.BaseDirectory, "OpenApi", config), Path.Combine(dir.FullName, config));
            }

            var start = new ProcessStartInfo(redocly) { WorkingDirectory = dir.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["lint", "openapi.json", "--format=json"])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var report = JsonNode.Parse(await stdout)!;
            var problems = report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}");
            Assert.True(
                (report["totals"]!["errors"]!.GetValue<int>(), report["totals"]!["warnings"]!.GetValue<int>()) == (0, 0),
                $"redocly lint:\n{string.Join("\n", problems)}\n{await stderr}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_document_describes_the_api_only_with_a_server_url_without_trailing_slash_and_numbers_as_numbers()
    {
        var document = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        Assert.All(document["paths"]!.AsObject(), path => Assert.StartsWith("/api/", path.Key, StringComparison.Ordinal));
        Assert.All(document["servers"]!.AsArray(), server => Assert.False(server!["url"]!.GetValue<string>().EndsWith('/')));

        // The server reads numbers strictly, so no schema may offer "integer or string" / "number or string".
        var numbersAsStrings = Types(document).Where(t => t.Contains("string") && (t.Contains("integer") || t.Contains("number"))).ToList();
        Assert.Empty(numbersAsStrings);
    }

    [Fact]
    public async Task No_description_names_a_csharp_type_or_member()
    {
        var typeNames = new[] { typeof(Program).Assembly, typeof(TelemetryEvent).Assembly, typeof(OrleansFleet.Grains.DeviceGrain).Assembly }
            .SelectMany(a => a.GetTypes()).Select(t => t.Name).Where(n => CompoundName().IsMatch(n)).ToHashSet();
        var descriptions = Descriptions(JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!).ToList();
        Assert.NotEmpty(descriptions);
        var leaks = descriptions.Where(d => MemberAccess().IsMatch(d) || Words().Matches(d).Any(w => typeNames.Contains(w.Value))).ToList();
        Assert.True(leaks.Count == 0, $"descriptions with C# names:\n{string.Join("\n", leaks)}");
    }

    [Fact]
    public async Task The_api_reference_page_for_people_is_served_on_the_document()
    {
        using var page = await _client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static IEnumerable<string[]> Types(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "type" && p.Value is JsonArray types ? [[.. types.Select(t => t!.GetValue<string>())]] : p.Value is null ? [] : Types(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Types(n)),
        _ => [],
    };

    private static IEnumerable<string> Descriptions(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "description" && p.Value is JsonValue v ? [v.GetValue<string>()] : p.Value is null ? [] : Descriptions(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Descriptions(n)),
        _ => [],
    };

    // Two capitals or more: TelemetryJson, AlarmRules (not "Alarm" at the start of a sentence).
    [GeneratedRegex("^[A-Z][a-z]+[A-Z][A-Za-z]*$")]
    private static partial Regex CompoundName();

    // Type.Member or "double Threshold"-style cref renderings.
    [GeneratedRegex(@"\b[A-Z]\w*\.[A-Z]\w*\b|\b(string|double|int|long|bool)\??\s+[A-Z]\w*")]
    private static partial Regex MemberAccess();

    [GeneratedRegex(@"\b\w+\b")]
    private static partial Regex Words();
}
