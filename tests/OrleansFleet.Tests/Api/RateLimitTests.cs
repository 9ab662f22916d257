using System.Net;
using OrleansFleet.Hosting.Security;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>Each key has its own request budget: over it, 429 problem+json with <c>Retry-After</c>; other keys are unaffected.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_other_keys_do_not()
    {
        await using var factory = new ApiFactory(new Dictionary<string, string>
        {
            [$"{FleetSecurityOptions.SectionName}:RateLimit:PermitsPerSecond"] = "1",
            [$"{FleetSecurityOptions.SectionName}:RateLimit:Burst"] = "3",
        });
        using var client = factory.CreateClient();

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var response = await client.GetAsync("/api/fleet/summary");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        await SecurityTests.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "over its request rate");
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);

        using var other = factory.CreateClientWithoutKey();
        other.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TestKeys.Read);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/fleet/summary")).StatusCode);
    }
}
