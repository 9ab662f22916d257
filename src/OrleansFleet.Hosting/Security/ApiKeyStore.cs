using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting.Security;

/// <summary>The configured keys, decoded once per configuration change, and the constant-time lookup of a presented key.</summary>
internal sealed class ApiKeyStore : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile ApiKey[] _keys;
    private volatile bool _openAccess;

    private readonly bool _embedded;

    public ApiKeyStore(IOptionsMonitor<FleetSecurityOptions> options, IConfiguration configuration)
    {
        _embedded = FleetModeOptions.TryParse(configuration[FleetModeOptions.ModeKey], out var mode) && mode == FleetMode.Embedded;
        _openAccess = IsOpen(options.CurrentValue);
        _keys = Decode(options.CurrentValue);
        // Rotation: a key added to or removed from a reloadable source takes effect without a restart.
        _subscription = options.OnChange(changed =>
        {
            _keys = Decode(changed);
            _openAccess = IsOpen(changed);
        });
    }

    /// <summary>
    /// True for the embedded mode's default: no key and no token issuer configured (the validator allows it on
    /// loopback only). Never in another mode, and never beside Entra ID tokens.
    /// </summary>
    public bool IsOpenAccess => _openAccess;

    /// <summary>The key whose hash matches the presented key's, or null.</summary>
    public ApiKey? Find(string presented)
    {
        var hash = ApiKeyHash.Of(presented);
        ApiKey? found = null;
        // Every key is compared, each in constant time, so the answer's timing says nothing about how close a guess was.
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = key;
            }
        }

        return found;
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Splits a <c>Scopes</c> setting.</summary>
    internal static string[] ParseScopes(string? scopes) =>
        (scopes ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private bool IsOpen(FleetSecurityOptions options) => _embedded && options.ApiKeys.Count == 0 && string.IsNullOrWhiteSpace(options.Jwt.Authority);

    private static ApiKey[] Decode(FleetSecurityOptions options) =>
        // A key whose hash does not parse is left out here and stops start-up in the validator.
        [.. options.ApiKeys
            .Select(entry => ApiKeyHash.TryParse(entry.Value.Hash, out var hash) ? new ApiKey(entry.Key, hash, ParseScopes(entry.Value.Scopes)) : null)
            .OfType<ApiKey>()];
}

/// <summary>A configured key: its name, hash and scopes.</summary>
internal sealed record ApiKey(string Name, byte[] Hash, IReadOnlyList<string> Scopes);
