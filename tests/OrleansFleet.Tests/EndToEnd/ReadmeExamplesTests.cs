using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>
/// Every README example marked <c>```bash example</c> is run as written (bash and curl) against a freshly started
/// built host, in README order, and its output compared with the <c>```json expected</c> (or <c>```text expected</c>)
/// block under it. Their request bodies are checked against the OpenAPI request schema: a body the server accepts
/// must validate, the bad-input example must not.
/// </summary>
public sealed partial class ReadmeExamplesTests
{
    private const string ReadmeAddress = "http://127.0.0.1:5080";

    /// <summary>Set by the server, so they differ in every run: only whether they are null is compared.</summary>
    private static readonly HashSet<string> ServerSet = ["acknowledgedAt", "traceId"];

    [Fact]
    public async Task Every_readme_example_answers_as_the_readme_shows_on_a_fresh_host()
    {
        var examples = Example.ReadAll(Path.Combine(Repository.Root, "README.md"));
        Assert.True(examples.Count >= 8, $"only {examples.Count} examples found in README.md");

        // The README documents the embedded default: no keys configured, open access on loopback.
        await using var host = await HostProcess.StartWithoutKeysAsync();
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        var contract = OpenApiContract.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var failures = new List<string>();
        foreach (var example in examples)
        {
            var output = await RunAsync(example.Script.Replace(ReadmeAddress, host.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal));
            if (Compare(example, output) is { } difference)
            {
                failures.Add($"README line {example.Line}:\n{example.Script}\n{difference}");
            }

            foreach (var (method, path, body) in Requests(example.Script))
            {
                var errors = contract.CheckRequest(method, path, body);
                if (example.ExpectsProblem == (errors.Count == 0))
                {
                    failures.Add($"README line {example.Line}: {method} {path} with {body}: " + (example.ExpectsProblem
                        ? "the server rejects it, but the OpenAPI request schema accepts it"
                        : $"the OpenAPI request schema rejects it: {string.Join("; ", errors)}"));
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures) + $"\n\nHost output:\n{host.Output}");
    }

    private static async Task<string> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-o", "pipefail", "-c", script])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return $"(timed out after 60 s) {await stdout}";
        }

        return process.ExitCode == 0 ? await stdout : $"(exit {process.ExitCode}) {await stdout} {await stderr}";
    }

    private static string? Compare(Example example, string output)
    {
        if (example.ExpectedLanguage == "text")
        {
            return Squeeze(example.Expected) == Squeeze(output) ? null : $"expected:\n{example.Expected}\ngot:\n{output}";
        }

        List<JsonNode?> expected, actual;
        try
        {
            expected = Documents(example.Expected);
            actual = Documents(output);
        }
        catch (JsonException ex)
        {
            return $"not JSON ({ex.Message}); got:\n{output}";
        }

        if (expected.Count != actual.Count)
        {
            return $"expected {expected.Count} JSON documents, got {actual.Count}:\n{output}";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (Difference(expected[i], actual[i], "$") is { } difference)
            {
                return $"document {i + 1} differs at {difference}\nexpected: {expected[i]?.ToJsonString()}\ngot:      {actual[i]?.ToJsonString()}";
            }
        }

        return null;
    }

    private static string? Difference(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(name) || !a.ContainsKey(name))
                    {
                        return $"{path}.{name} (present on one side only)";
                    }

                    var difference = ServerSet.Contains(name)
                        ? (e[name] is null) == (a[name] is null) ? null : $"{path}.{name} (null on one side only)"
                        : Difference(e[name], a[name], $"{path}.{name}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path} (length {e.Count} vs {a.Count})";
                }

                return Enumerable.Range(0, e.Count).Select(i => Difference(e[i], a[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            case (JsonValue e, JsonValue a):
                return e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number
                    ? e.GetValue<decimal>() == a.GetValue<decimal>() ? null : path
                    : JsonNode.DeepEquals(e, a) ? null : path;
            default:
                return path;
        }
    }

    /// <summary>The JSON documents of a text, one after another (curl prints answers without separators).</summary>
    private static List<JsonNode?> Documents(string text)
    {
        var documents = new List<JsonNode?>();
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            documents.Add(JsonNode.Parse(ref reader));
        }

        return documents;
    }

    private static string Squeeze(string text) => WhiteSpace().Replace(text, "");

    /// <summary>The curl requests of a script that send a body: method, path, body.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, string Body)> Requests(string script)
    {
        foreach (var command in script.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Where(l => l.TrimStart().StartsWith("curl", StringComparison.Ordinal)))
        {
            if (Body().Match(command) is not { Success: true } body)
            {
                continue;
            }

            var method = Method().Match(command) is { Success: true } m ? new HttpMethod(m.Groups[1].Value) : HttpMethod.Post;
            yield return (method, Url().Match(command).Groups[1].Value, body.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\s-d\s+'([^']*)'")]
    private static partial Regex Body();

    [GeneratedRegex(@"\s-X\s+([A-Z]+)")]
    private static partial Regex Method();

    [GeneratedRegex(@"http://127\.0\.0\.1:5080(/[^\s""'?]*)")]
    private static partial Regex Url();

    /// <summary>One marked example of the README: the script, where it is, and what it prints.</summary>
    private sealed record Example(int Line, string Script, string ExpectedLanguage, string Expected)
    {
        /// <summary>Whether the example shows an error answer (a problem with a 4xx status).</summary>
        public bool ExpectsProblem => ExpectedLanguage == "json" && Documents(Expected).Any(d => d?["status"] is JsonValue s && s.GetValue<int>() >= 400);

        public static List<Example> ReadAll(string readme)
        {
            var lines = File.ReadAllLines(readme);
            var examples = new List<Example>();
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim() != "```bash example")
                {
                    continue;
                }

                var start = i + 1;
                var script = Block(lines, ref i);
                while (i + 1 < lines.Length && lines[i + 1].Trim().Length == 0)
                {
                    i++;
                }

                var fence = i + 1 < lines.Length ? lines[i + 1].Trim() : "";
                Assert.True(fence is "```json expected" or "```text expected", $"README line {start}: an example needs an expected block right after it (```json expected or ```text expected)");
                i++;
                examples.Add(new Example(start, script, fence[3..fence.IndexOf(' ', StringComparison.Ordinal)], Block(lines, ref i)));
            }

            return examples;
        }

        /// <summary>The lines after the fence at <paramref name="i"/> up to the closing fence, which <paramref name="i"/> is left on.</summary>
        private static string Block(string[] lines, ref int i)
        {
            var block = new List<string>();
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                block.Add(lines[i]);
            }

            return string.Join('\n', block);
        }
    }
}
