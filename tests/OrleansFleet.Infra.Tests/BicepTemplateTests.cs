using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansFleet.Infra.Tests;

/// <summary>Every Bicep file compiles and passes the linter with nothing to report, under rules no looser than the defaults.</summary>
public sealed class BicepTemplateTests
{
    /// <summary>Every .bicep file under infra/, in one bicep run (one start of the compiler, not one per file).</summary>
    private const string AllBicepFiles = "**/*.bicep";

    [Fact]
    public void InfraHasTheMainTemplateAndModules()
    {
        string[] files = [.. Repository.BicepFiles()];
        Assert.Contains("main.bicep", files);
        Assert.Contains(files, file => file.StartsWith("modules", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBicepFileBuildsWithNoErrorsAndNoWarnings()
    {
        string output = Directory.CreateTempSubdirectory("fleet-bicep-").FullName;
        try
        {
            // --no-restore: the templates use no registry modules, and a test run must not reach out for any.
            BicepResult result = Bicep.Run("build", "--pattern", AllBicepFiles, "--outdir", output, "--no-restore");

            Assert.True(result.ExitCode == 0 && string.IsNullOrWhiteSpace(result.StandardError), $"bicep build: {result}");
            string[] compiled = [.. Repository.BicepFiles().Select(file => Path.Combine(output, Path.ChangeExtension(file, ".json")))];
            Assert.All(compiled, template => Assert.NotNull(JsonNode.Parse(File.ReadAllText(template))));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void EveryBicepFilePassesTheLinterWithNoDiagnostics()
    {
        BicepResult result = Bicep.Run("lint", "--pattern", AllBicepFiles, "--no-restore");

        Assert.True(
            result.ExitCode == 0 && string.IsNullOrWhiteSpace(result.StandardError) && string.IsNullOrWhiteSpace(result.StandardOutput),
            $"bicep lint: {result}");
    }

    [Fact]
    public void LinterConfigurationTurnsNoRuleOffOrDownToInfo()
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "bicepconfig.json")))!;
        JsonNode core = config["analyzers"]?["core"] ?? throw new Xunit.Sdk.XunitException("bicepconfig.json has no analyzers.core section.");

        Assert.NotEqual(false, core["enabled"]?.GetValue<bool>());
        string[] loosened = [.. (core["rules"]?.AsObject() ?? [])
            .Where(rule => rule.Value?["level"]?.GetValue<string>() is "off" or "info" or "none")
            .Select(rule => rule.Key)];
        Assert.True(loosened.Length == 0, $"bicepconfig.json loosens rules below the default warning: {string.Join(", ", loosened)}");
    }

    [Fact]
    public void ParametersFileNamesOnlyParametersOfTheMainTemplate()
    {
        JsonObject declared = JsonNode.Parse(MainTemplate.Value)!["parameters"]!.AsObject();
        JsonObject given = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json")))!["parameters"]!.AsObject();

        string[] unknown = [.. given.Select(parameter => parameter.Key).Where(name => !declared.ContainsKey(name))];
        Assert.True(unknown.Length == 0, $"main.parameters.json sets parameters main.bicep does not declare: {string.Join(", ", unknown)}");
        string[] required = [.. declared.Where(parameter => parameter.Value?["defaultValue"] is null).Select(parameter => parameter.Key)];
        Assert.All(required, name => Assert.True(given.ContainsKey(name), $"main.parameters.json does not set the required parameter {name}."));
    }

    [Fact]
    public void TheSiloAppIsInternalWithTwoReplicasOrMoreAndTheApiAppIsPublicAndScalesOnRequests()
    {
        using JsonDocument template = JsonDocument.Parse(MainTemplate.Value);
        Dictionary<string, JsonElement> apps = AppParameters(template);
        JsonElement declared = template.RootElement.GetProperty("parameters");

        // The silos are reached only inside the environment (Orleans ports, probes); the API is the public entry.
        Assert.False(apps["silo"].GetProperty("external").GetProperty("value").GetBoolean());
        Assert.True(apps["silo"].TryGetProperty("internalTcpPorts", out _), "the silo app opens Orleans' ports to the environment");
        Assert.False(apps["silo"].TryGetProperty("httpConcurrentRequests", out _), "the silo app scales on no HTTP rule");
        Assert.True(declared.GetProperty("siloMinReplicas").GetProperty("minValue").GetInt32() >= 2, "one silo must be able to fail");
        Assert.Equal("[parameters('siloMinReplicas')]", apps["silo"].GetProperty("minReplicas").GetProperty("value").GetString());

        Assert.True(apps["api"].GetProperty("external").GetProperty("value").GetBoolean());
        Assert.False(apps["api"].TryGetProperty("internalTcpPorts", out _), "an Orleans client opens no port");
        Assert.Equal("[parameters('apiConcurrentRequests')]", apps["api"].GetProperty("httpConcurrentRequests").GetProperty("value").GetString());
    }

    /// <summary>main.bicep compiled to its ARM template, once for the tests that read it.</summary>
    private static readonly Lazy<string> MainTemplate = new(() =>
    {
        BicepResult build = Bicep.Run("build", "main.bicep", "--stdout", "--no-restore");
        Assert.True(build.ExitCode == 0, build.ToString());
        return build.StandardOutput;
    });

    private static readonly Lazy<IReadOnlySet<string>> ServiceNamesOfMain = new(() => ReadServiceNames());

    /// <summary>The template's module calls that name an azd service, with that name (the azd-service-name tag).</summary>
    internal static IReadOnlySet<string> DeployedServiceNames() => ServiceNamesOfMain.Value;

    private static HashSet<string> ReadServiceNames()
    {
        using JsonDocument template = JsonDocument.Parse(MainTemplate.Value);
        return [.. AppParameters(template).Keys];
    }

    /// <summary>The parameters of each module call that names an azd service (the azd-service-name tag), by that name.</summary>
    private static Dictionary<string, JsonElement> AppParameters(JsonDocument template)
    {
        Dictionary<string, JsonElement> apps = new(StringComparer.Ordinal);
        JsonElement resources = template.RootElement.GetProperty("resources");
        // Templates with symbolic names (languageVersion 2.0) keep resources in an object, older ones in an array.
        IEnumerable<JsonElement> all = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(resource => resource.Value)
            : resources.EnumerateArray();
        foreach (JsonElement resource in all)
        {
            if (resource.TryGetProperty("properties", out JsonElement properties)
                && properties.TryGetProperty("parameters", out JsonElement parameters)
                && parameters.TryGetProperty("serviceName", out JsonElement serviceName))
            {
                apps[serviceName.GetProperty("value").GetString()!] = parameters.Clone();
            }
        }

        return apps;
    }
}
