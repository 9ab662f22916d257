using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace OrleansFleet.Hosting.Security;

/// <summary>
/// Authentication (API keys, optionally Entra ID bearer tokens), one authorization policy per scope, and the per-key
/// rate limiter: the ASP.NET Core built-ins, configured from <c>Fleet:Security</c>.
/// </summary>
public static class FleetSecurityExtensions
{
    /// <summary>The rate-limiter policy every API endpoint carries: a token bucket per caller name.</summary>
    public const string RateLimitPolicy = "per-key";

    /// <summary>The default authentication scheme: forwards to the API-key or the bearer scheme.</summary>
    public const string SchemeName = "Fleet";

    /// <summary>Registers authentication, the scope policies and the rate limiter.</summary>
    public static WebApplicationBuilder AddFleetSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FleetSecurityOptions>().BindConfiguration(FleetSecurityOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<FleetSecurityOptions>, FleetSecurityOptionsValidator>();
        builder.Services.AddSingleton<ApiKeyStore>();

        var jwt = builder.Configuration.GetSection(FleetSecurityOptions.SectionName).Get<FleetSecurityOptions>()?.Jwt ?? new();
        var hasJwt = !string.IsNullOrWhiteSpace(jwt.Authority);
        // One default scheme that forwards each request to the one its credentials are for, so a challenge is answered
        // once (by the key scheme, unless the request carried a bearer token).
        var authentication = builder.Services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or Entra ID token", options => options.ForwardDefaultSelector = context =>
                hasJwt && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (hasJwt)
        {
            // Entra ID: tokens of the configured tenant for this API's audience; their scp claim holds the scopes.
            authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.Authority = jwt.Authority;
                options.Audience = jwt.Audience;
                options.MapInboundClaims = false;
                options.Events = new JwtBearerEvents
                {
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
                        await FleetProblems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required.",
                            "The bearer token is missing, expired or not for this API.");
                    },
                };
            });
        }

        var authorization = builder.Services.AddAuthorizationBuilder();
        foreach (var scope in FleetScopes.All)
        {
            authorization.AddPolicy(FleetScopes.Policy(scope), policy => policy.AddRequirements(new ScopeRequirement(scope)));
        }

        // Anything without a policy of its own (the dashboard, the fleet pages, static files, paths nobody mapped)
        // needs the read scope: a new endpoint is closed until someone opens it.
        authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new ScopeRequirement(FleetScopes.Read)).Build());
        builder.Services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeProblemResultHandler>();

        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimitPolicy, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<FleetSecurityOptions>>().Value.RateLimit;
                var caller = context.User.Identity?.Name ?? "anonymous";
                return limit.PermitsPerSecond == 0
                    ? RateLimitPartition.GetNoLimiter(caller)
                    : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limit.Burst,
                        TokensPerPeriod = limit.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await FleetProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests.",
                    $"Key '{context.HttpContext.User.Identity?.Name}' is over its request rate; retry after {retryAfter} s.");
            };
        });
        return builder;
    }

    /// <summary>Authentication, authorization and the rate limiter, in that order (the limiter partitions by the authenticated caller).</summary>
    public static WebApplication UseFleetSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        if (keys.IsOpenAccess)
        {
            app.Logger.LogWarning(
                "No API keys configured ({Setting}): open access, every caller has every scope. The embedded mode allows this on loopback only; call it without a key, e.g. curl http://127.0.0.1:5080/api/fleet/summary. Configure a key (hash it with: dotnet run --project src/OrleansFleet.Silo -- hash-key <key>) to require one.",
                FleetSecurityOptions.ApiKeysKey);
        }

        return app;
    }

    /// <summary>Requires <paramref name="scope"/>, applies the per-key rate limit, and documents the 401, 403 and 429 answers.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(FleetScopes.Policy(scope)).RequireRateLimiting(RateLimitPolicy);
        builder.WithMetadata(new RequiredScope(scope));
        builder.Add(endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])));
        builder.Add(endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])));
        builder.Add(endpoint => endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"])));
        return builder;
    }
}

/// <summary>Endpoint metadata naming the scope it requires, for the OpenAPI document's security requirements.</summary>
/// <param name="Scope">The scope.</param>
public sealed record RequiredScope(string Scope);
