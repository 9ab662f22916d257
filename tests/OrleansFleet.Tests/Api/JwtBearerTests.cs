using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>An Entra ID authority in the configuration adds the JWT bearer scheme; without one there is none.</summary>
public sealed class JwtBearerTests
{
    [Fact]
    public async Task A_configured_authority_adds_the_bearer_scheme_and_an_invalid_token_is_401()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string>
        {
            [$"{FleetSecurityOptions.SectionName}:Jwt:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
            [$"{FleetSecurityOptions.SectionName}:Jwt:Audience"] = "api://orleansfleet",
        });
        using var client = factory.CreateClientWithoutKey();
        var schemes = factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.NotNull(await schemes.GetSchemeAsync("Bearer"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/fleet/summary")).StatusCode);
    }

    [Fact]
    public async Task Without_an_authority_there_is_no_bearer_scheme()
    {
        await using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        var schemes = factory.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.Null(await schemes.GetSchemeAsync("Bearer"));
    }
}
