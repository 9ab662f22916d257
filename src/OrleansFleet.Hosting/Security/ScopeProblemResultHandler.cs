using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace OrleansFleet.Hosting.Security;

/// <summary>
/// Answers an authenticated caller without the needed scope with a 403 problem naming the scope (the default answer
/// is an empty 403). Challenges (401) go to the authentication scheme as usual.
/// </summary>
internal sealed class ScopeProblemResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray() ?? [];
            var detail = needed.Length == 0
                ? "The caller may not use this endpoint."
                : $"Key '{context.User.Identity.Name}' lacks the '{string.Join("', '", needed)}' scope this endpoint needs.";
            await FleetProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Missing scope.", detail);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
