using CsCheck;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.Api;

/// <summary>
/// Thousands of generated malformed and hostile requests (<see cref="HostileRequests"/>) against the host in memory,
/// on every endpoint: never a 5xx, never a change of state for a rejected request, a healthy host at the end.
/// Iterations: <c>FLEET_FUZZ_ITERATIONS</c> (default 50,000, about half a minute on 2 cores); a failure prints
/// CsCheck's seed, which <c>CsCheck_Seed</c> replays. The same requests go to the built host over real sockets in
/// <see cref="EndToEnd.HostileInputHostTests"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputFuzzTests(ApiFactory factory)
{
    [Fact]
    public async Task Hostile_requests_never_get_a_5xx_never_change_state_and_leave_the_host_healthy()
    {
        using var client = factory.CreateClient();
        var before = await HostileRequests.SeedAsync(client);

        var iterations = int.TryParse(Environment.GetEnvironmentVariable("FLEET_FUZZ_ITERATIONS"), out var configured) ? configured : 50_000;
        await HostileRequests.Any.SampleAsync(request => HostileRequests.SendAsync(client, request), iter: iterations, threads: 1);

        await HostileRequests.AssertUnchangedAndHealthyAsync(client, before);
    }
}
