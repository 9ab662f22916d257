using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting.Security;

/// <summary>
/// Stops start-up on keys that cannot work (a hash that is not SHA-256, no or unknown scopes), on a LocalCluster or
/// Azure host without keys, and on an embedded host without keys that listens beyond loopback (open access is for
/// the developer's own machine only).
/// </summary>
internal sealed class FleetSecurityOptionsValidator(IConfiguration configuration) : IValidateOptions<FleetSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, FleetSecurityOptions options)
    {
        List<string> failures = [];
        foreach (var (keyName, key) in options.ApiKeys)
        {
            var path = $"{FleetSecurityOptions.ApiKeysKey}:{keyName}";
            if (!ApiKeyHash.TryParse(key.Hash, out _))
            {
                failures.Add($"{path}:Hash must be the SHA-256 of the key as 64 hex digits or base64 (print it with: dotnet run --project src/OrleansFleet.Silo -- hash-key <key>).");
            }

            var scopes = ApiKeyStore.ParseScopes(key.Scopes);
            if (scopes.Length == 0 || scopes.Any(scope => !FleetScopes.All.Contains(scope)))
            {
                failures.Add($"{path}:Scopes '{key.Scopes}' must name one or more of: {string.Join(", ", FleetScopes.All)}.");
            }
        }

        if (options.RateLimit.PermitsPerSecond < 0 || options.RateLimit.Burst < 1)
        {
            failures.Add($"{FleetSecurityOptions.SectionName}:RateLimit: PermitsPerSecond must be 0 (off) or more and Burst 1 or more.");
        }

        // A mode that does not parse is FleetModeOptionsValidator's to report; here it counts as not embedded.
        var mode = FleetModeOptions.TryParse(configuration[FleetModeOptions.ModeKey], out var parsed) ? parsed : FleetMode.Azure;
        var hasJwt = !string.IsNullOrWhiteSpace(options.Jwt.Authority);
        if (options.ApiKeys.Count == 0 && !hasJwt && mode != FleetMode.Embedded)
        {
            failures.Add($"{FleetModeOptions.ModeKey}={mode} needs API keys: set {FleetSecurityOptions.ApiKeysKey}:<name>:Hash and :Scopes (or {FleetSecurityOptions.SectionName}:Jwt:Authority). Only the embedded mode may run without them.");
        }

        if (options.ApiKeys.Count == 0 && !hasJwt && mode == FleetMode.Embedded && NonLoopbackUrls() is { Count: > 0 } exposed)
        {
            failures.Add($"Without {FleetSecurityOptions.ApiKeysKey} the embedded mode is open to every caller, so it listens on loopback only; '{string.Join(";", exposed)}' is not. Configure a key or listen on 127.0.0.1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The configured listen addresses (urls, Kestrel endpoints, http(s)_ports) that are not loopback.</summary>
    private List<string> NonLoopbackUrls()
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>());
        List<string> exposed = [.. urls.Where(url => !IsLoopback(url))];
        // HTTP_PORTS / HTTPS_PORTS bind every interface.
        exposed.AddRange(new[] { configuration["http_ports"], configuration["https_ports"] }.Where(ports => !string.IsNullOrWhiteSpace(ports))!);
        return exposed;
    }

    private static bool IsLoopback(string url)
    {
        try
        {
            var host = BindingAddress.Parse(url).Host;
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
