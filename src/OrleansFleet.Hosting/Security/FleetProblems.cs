using Microsoft.AspNetCore.Mvc;

namespace OrleansFleet.Hosting.Security;

/// <summary>Problem responses written outside an endpoint (authentication, authorization, rate limiting).</summary>
internal static class FleetProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
