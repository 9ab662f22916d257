namespace OrleansFleet.Hosting.Security;

/// <summary>The scopes an API key can hold; each endpoint group requires one (see <see cref="FleetSecurityExtensions.RequireScope{TBuilder}"/>).</summary>
public static class FleetScopes
{
    /// <summary>Send telemetry (<c>POST /api/telemetry</c>).</summary>
    public const string Ingest = "ingest";

    /// <summary>Read devices, alarms, rules, history, the fleet queries, the dashboard and the fleet pages.</summary>
    public const string Read = "read";

    /// <summary>Change things an operator changes: acknowledge alarms, replace a device's rules.</summary>
    public const string Operate = "operate";

    /// <summary>Every scope: a key with it passes every scope check.</summary>
    public const string Admin = "admin";

    /// <summary>The claim type a principal's scopes are carried in (the OAuth 2.0 name, so an Entra ID token's scopes fit too).</summary>
    public const string ClaimType = "scope";

    /// <summary>All scopes, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Ingest, Read, Operate, Admin];

    /// <summary>The authorization policy that requires <paramref name="scope"/>.</summary>
    public static string Policy(string scope) => "scope:" + scope;
}
