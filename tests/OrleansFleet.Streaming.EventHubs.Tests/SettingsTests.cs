using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansFleet.Streaming.EventHubs.Hosting;

namespace OrleansFleet.Streaming.EventHubs.Tests;

/// <summary>The provider's settings, as a host starting in the Azure mode sees them.</summary>
public sealed class SettingsTests
{
    [Fact]
    public async Task A_host_without_the_Event_Hubs_settings_stops_at_start_naming_each_missing_one()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering()
            .AddEventHubTelemetryStreams(TelemetryStream.ProviderName, checkpoints => checkpoints.Configure(o => o.TableName = "unused")));
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Fleet:Streaming:EventHubs:Namespace (or Fleet:Streaming:EventHubs:ConnectionString)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:Hub", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:ConsumerGroup", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Fleet:Streaming:EventHubs:DeadLetterHub", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evhns-fleet", "evhns-fleet.servicebus.windows.net")]
    [InlineData("evhns-fleet.servicebus.windows.net", "evhns-fleet.servicebus.windows.net")]
    public void A_namespace_name_is_completed_to_its_host_name(string configured, string expected) =>
        Assert.Equal(expected, new EventHubTelemetryOptions { Namespace = configured }.FullyQualifiedNamespace);

    [Fact]
    public void The_Bicep_setting_names_bind()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Fleet:Streaming:EventHubs:Namespace"] = "evhns-x";
        builder.Configuration["Fleet:Streaming:EventHubs:Hub"] = "fleet-telemetry";
        builder.Configuration["Fleet:Streaming:EventHubs:ConsumerGroup"] = "orleansfleet";
        builder.Configuration["Fleet:Streaming:EventHubs:DeadLetterHub"] = "fleet-telemetry-dead";
        builder.UseOrleans(silo => silo.AddEventHubTelemetryStreams(TelemetryStream.ProviderName, _ => { }));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<EventHubTelemetryOptions>>().Value;

        Assert.Equal(("evhns-x.servicebus.windows.net", "fleet-telemetry", "orleansfleet", "fleet-telemetry-dead"), (options.FullyQualifiedNamespace, options.Hub, options.ConsumerGroup, options.DeadLetterHub));
    }
}
