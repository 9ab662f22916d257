namespace OrleansFleet.Hosting.Security;

/// <summary>
/// <c>Fleet:Security</c>: the API keys and the per-key request rate. Keys are configured by their SHA-256 hash only
/// (<c>Fleet:Security:ApiKeys:&lt;name&gt;:Hash</c>), so neither the configuration nor a dump of it holds a usable key.
/// </summary>
public sealed class FleetSecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Fleet:Security";

    /// <summary>The full configuration key under which keys are named.</summary>
    public const string ApiKeysKey = SectionName + ":" + nameof(ApiKeys);

    /// <summary>The keys, by name. The name is what logs, metrics and the rate limiter know a caller by.</summary>
    public Dictionary<string, ApiKeyEntry> ApiKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The request rate each key may use.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Optional Microsoft Entra ID (JWT bearer) tokens beside the keys.</summary>
    public JwtBearerSettings Jwt { get; set; } = new();
}

/// <summary>One API key: <c>Fleet:Security:ApiKeys:&lt;name&gt;</c>.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>SHA-256 of the key's UTF-8 bytes, as 64 hex digits or base64 (<c>hash-key</c> prints both).</summary>
    public string? Hash { get; set; }

    /// <summary>The key's scopes, separated by spaces or commas: <c>ingest</c>, <c>read</c>, <c>operate</c>, <c>admin</c>.</summary>
    public string? Scopes { get; set; }
}

/// <summary><c>Fleet:Security:RateLimit</c>: a token bucket per key name.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per second each key may sustain; 0 switches the limit off.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests a key may send at once above the sustained rate (the bucket's size).</summary>
    public int Burst { get; set; } = 200;
}

/// <summary><c>Fleet:Security:Jwt</c>: Entra ID bearer tokens, accepted when <see cref="Authority"/> is set.</summary>
public sealed class JwtBearerSettings
{
    /// <summary>The token issuer, e.g. <c>https://login.microsoftonline.com/&lt;tenant-id&gt;/v2.0</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The API's application ID URI or client id, which tokens must name as their audience.</summary>
    public string? Audience { get; set; }
}
