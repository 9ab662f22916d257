using Microsoft.Extensions.Configuration;
using OrleansFleet.Hosting;

namespace OrleansFleet.Silo.AzureTables.Tests;

/// <summary>How a run mode's defaults combine with what is configured: they fill gaps and never override.</summary>
public sealed class FleetModeDefaultsTests
{
    [Fact]
    public void Mode_defaults_fill_the_orleans_provider_sections_with_the_shared_table_account()
    {
        ConfigurationManager configuration = With(new() { ["Fleet:Mode"] = "Azure" });

        Assert.Equal("AzureTableStorage", configuration["Orleans:Clustering:ProviderType"]);
        Assert.Equal(FleetStorageOptions.TableServiceKey, configuration["Orleans:Clustering:ServiceKey"]);
        Assert.Equal("AzureTableStorage", configuration["Orleans:Reminders:ProviderType"]);
        Assert.Equal("AzureTableStorage", configuration["Orleans:GrainStorage:Default:ProviderType"]);
        Assert.Equal("AzureTableStorage", configuration["Orleans:GrainStorage:PubSubStore:ProviderType"]);
        Assert.Equal("11111", configuration["Orleans:Endpoints:SiloPort"]);
        Assert.Null(configuration["Orleans:Endpoints:AdvertisedIPAddress"]);
    }

    [Fact]
    public void A_provider_chosen_in_configuration_does_not_inherit_the_modes_service_key()
    {
        ConfigurationManager configuration = With(new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["Orleans:Clustering:ProviderType"] = "Redis",
            ["Orleans:Clustering:ConnectionName"] = "Redis",
        });

        Assert.Equal("Redis", configuration["Orleans:Clustering:ProviderType"]);
        Assert.Null(configuration["Orleans:Clustering:ServiceKey"]);
        // The sections not chosen by hand keep the mode's provider.
        Assert.Equal(FleetStorageOptions.TableServiceKey, configuration["Orleans:Reminders:ServiceKey"]);
    }

    [Fact]
    public void Configured_settings_win_over_the_modes_defaults()
    {
        ConfigurationManager configuration = With(new()
        {
            ["Fleet:Mode"] = "LocalCluster",
            ["Orleans:Endpoints:SiloPort"] = "22222",
            ["Fleet:Streaming:Provider"] = "Memory",
            ["Orleans:GrainStorage:Default:TableName"] = "Devices",
        });

        Assert.Equal("22222", configuration["Orleans:Endpoints:SiloPort"]);
        Assert.Equal("Memory", configuration["Fleet:Streaming:Provider"]);
        // A key of a section whose provider is not chosen by hand merges with the mode's provider.
        Assert.Equal("Devices", configuration["Orleans:GrainStorage:Default:TableName"]);
        Assert.Equal("AzureTableStorage", configuration["Orleans:GrainStorage:Default:ProviderType"]);
    }

    private static ConfigurationManager With(Dictionary<string, string?> settings)
    {
        ConfigurationManager configuration = new();
        configuration.AddInMemoryCollection(settings);
        configuration.AddFleetModeDefaults();
        return configuration;
    }
}
