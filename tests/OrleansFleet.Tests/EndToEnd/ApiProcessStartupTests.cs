using OrleansFleet.Tests.Infrastructure;

namespace OrleansFleet.Tests.EndToEnd;

/// <summary>The API deployable (an Orleans client) stops at start, naming the setting, in a mode it cannot serve.</summary>
public sealed class ApiProcessStartupTests
{
    private const string Tables = "UseDevelopmentStorage=true";

    [Fact]
    public async Task The_api_process_refuses_the_embedded_mode_and_names_the_silo_as_its_host()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartApiAsync("--Fleet:Mode", "Embedded"));
        Assert.Contains("Fleet:Mode is Embedded: the API process is an Orleans client of a cluster", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_process_refuses_the_memory_stream_it_cannot_append_to()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartApiAsync(
            "--Fleet:Mode", "LocalCluster", "--ConnectionStrings:Tables", Tables, "--Fleet:Streaming:Provider", "Memory"));
        Assert.Contains("Fleet:Streaming:Provider is Memory: the memory stream lives inside the silos", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_process_in_a_cluster_mode_refuses_to_start_without_api_keys()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartApiWithoutKeysAsync(
            "--Fleet:Mode", "LocalCluster", "--ConnectionStrings:Tables", Tables, "--ConnectionStrings:Redis", "127.0.0.1:1"));
        Assert.Contains("Fleet:Mode=LocalCluster needs API keys", failure.Message, StringComparison.Ordinal);
    }
}
