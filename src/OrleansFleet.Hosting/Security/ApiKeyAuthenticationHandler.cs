using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting.Security;

/// <summary>
/// Authenticates a request by its <c>X-Api-Key</c> header against the configured key hashes. The principal's name is
/// the key's name and its <c>scope</c> claims are the key's scopes. With no key configured (the embedded mode only,
/// see <see cref="FleetSecurityOptionsValidator"/>) every request is the open-access principal with every scope.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The request header that carries the key.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The principal's name under open access.</summary>
    public const string OpenAccessName = "open-access";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (keys.IsOpenAccess)
        {
            return Task.FromResult(Success(OpenAccessName, FleetScopes.All));
        }

        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.Fail($"Send exactly one {HeaderName} header."));
        }

        return Task.FromResult(keys.Find(values[0]!) is { } key
            ? Success(key.Name, key.Scopes)
            : AuthenticateResult.Fail("Unknown API key."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure is { } failure
            ? $"{failure.Message} Send a configured key in the {HeaderName} header."
            : $"This endpoint needs an API key: send it in the {HeaderName} header.";
        await FleetProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Authentication required.", detail);
    }

    private static AuthenticateResult Success(string name, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. scopes.Select(scope => new Claim(FleetScopes.ClaimType, scope))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
