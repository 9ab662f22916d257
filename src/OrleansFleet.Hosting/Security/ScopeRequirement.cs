using Microsoft.AspNetCore.Authorization;

namespace OrleansFleet.Hosting.Security;

/// <summary>The caller holds <see cref="Scope"/> or <c>admin</c>.</summary>
internal sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>Checks a <see cref="ScopeRequirement"/> against the principal's <c>scope</c> claims.</summary>
internal sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        // An Entra ID token carries its scopes space-separated in one "scp" (or "scope") claim; a key has one claim per scope.
        var held = context.User.FindAll(c => c.Type is FleetScopes.ClaimType or "scp" or "http://schemas.microsoft.com/identity/claims/scope")
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (held.Any(scope => scope == requirement.Scope || scope == FleetScopes.Admin))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
