using System.Net;
using CsCheck;
using OrleansFleet.Tests.Api;
using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>
/// The hostile requests of <see cref="HostileRequests"/> against the built host in its own process, over real sockets
/// on a loopback port: Kestrel's own parsing, framing and limits are in the path, which the in-memory server skips.
/// Iterations: <c>FLEET_FUZZ_HOST_ITERATIONS</c> (default 5,000, about half a minute on 2 cores); a failure prints CsCheck's seed,
/// which <c>CsCheck_Seed</c> replays.
/// </summary>
public sealed class HostileInputHostTests
{
    [Fact]
    public async Task Hostile_requests_to_the_built_host_never_get_a_5xx_never_change_state_and_leave_it_healthy()
    {
        // The per-key rate limit off: with it, most of the run would be 429s that never reach validation. A long
        // offline timeout: on a loaded machine the probe must not go offline mid-run, a change no request made.
        await using var host = await HostProcess.StartAsync("--Fleet:Security:RateLimit:PermitsPerSecond", "0", "--Fleet:OfflineAfter", "1.00:00:00");
        using var client = host.CreateClient();
        var before = await HostileRequests.SeedAsync(client);

        var iterations = int.TryParse(Environment.GetEnvironmentVariable("FLEET_FUZZ_HOST_ITERATIONS"), out var configured) ? configured : 5_000;
        await HostileRequests.Any.SampleAsync(request => HostileRequests.SendAsync(client, request), iter: iterations, threads: 4);

        await HostileRequests.AssertUnchangedAndHealthyAsync(client, before);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/fleet/summary")).StatusCode);
        Assert.DoesNotContain("Unhandled exception", host.Output, StringComparison.OrdinalIgnoreCase);
    }
}
