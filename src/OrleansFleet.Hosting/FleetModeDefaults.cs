using Microsoft.Extensions.Configuration.Memory;

namespace OrleansFleet.Hosting;

/// <summary>
/// What each run mode fills in. The providers are Orleans' own, bound by Orleans from the <c>Orleans</c> section
/// (<c>Orleans:Clustering</c>, <c>Orleans:Reminders</c>, <c>Orleans:GrainStorage:{name}</c>, each with a
/// <c>ProviderType</c> that a package registers with <c>[RegisterProvider]</c>), so a mode is nothing but configuration.
/// </summary>
/// <remarks>
/// The defaults sit below every other configuration source: appsettings, environment variables and the command line
/// override any of them. A provider section is filled in as a whole, and only when its <c>ProviderType</c> is not set,
/// so choosing another provider (say <c>Orleans__Clustering__ProviderType=Redis</c>) never inherits this mode's
/// <c>ServiceKey</c>.
/// </remarks>
internal static class FleetModeDefaults
{
    /// <summary>The grain storage the stream providers keep their subscriptions in.</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>The grain storage grains get when they name none.</summary>
    public const string DefaultStore = "Default";

    /// <summary>Orleans' membership provider section, the one a client reads too (the silos' gateways).</summary>
    public const string ClusteringSection = "Orleans:Clustering";

    /// <summary>
    /// Adds the defaults of the mode <c>Fleet:Mode</c> names to <paramref name="configuration"/>, before Orleans reads its
    /// section. An unknown mode gets the embedded defaults, only so that the host builds far enough to stop at start
    /// with the choices, like every other bad setting (see <see cref="FleetModeOptionsValidator"/>).
    /// </summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="client">
    /// For an Orleans client (the API process): only the clustering section. A client binds every provider section it
    /// finds and has no reminders or grain storage to bind them to.
    /// </param>
    public static void AddFleetModeDefaults(this IConfigurationManager configuration, bool client = false)
    {
        if (!FleetModeOptions.TryParse(configuration[FleetModeOptions.ModeKey], out FleetMode mode))
        {
            mode = FleetMode.Embedded;
        }

        Dictionary<string, string?> defaults = new(Settings(mode));
        foreach ((string section, IReadOnlyDictionary<string, string> provider) in ProviderSections(mode).Where(p => !client || p.Key == ClusteringSection))
        {
            if (string.IsNullOrEmpty(configuration[$"{section}:ProviderType"]))
            {
                foreach ((string key, string value) in provider)
                {
                    defaults[$"{section}:{key}"] = value;
                }
            }
        }

        ((IConfigurationBuilder)configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
    }

    /// <summary>The plain settings of a mode: identity, ports, and the fleet's own history store and stream transport.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Configuration keys and their default values.</returns>
    internal static IReadOnlyDictionary<string, string?> Settings(FleetMode mode)
    {
        // Azure has no advertised address: Orleans takes the replica's own (first non-loopback) address, which is how
        // Container Apps replicas reach each other inside the environment.
        (string clusterId, string? advertisedAddress, FleetStorageProvider history, StreamingProvider stream) = mode switch
        {
            FleetMode.Embedded => ("dev", "127.0.0.1", FleetStorageProvider.Memory, StreamingProvider.Memory),
            FleetMode.LocalCluster => ("dev", "127.0.0.1", FleetStorageProvider.AzureTables, StreamingProvider.Redis),
            FleetMode.Azure => ("orleansfleet", null, FleetStorageProvider.AzureTables, StreamingProvider.EventHubs),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a run mode."),
        };
        Dictionary<string, string?> settings = new()
        {
            ["Orleans:ClusterId"] = clusterId,
            // The ServiceId prefixes every grain-state row and names the stream consumer group: keep it for the life of
            // the data ("orleansfleet" is what the previous release wrote with).
            ["Orleans:ServiceId"] = "orleansfleet",
            ["Orleans:Endpoints:SiloPort"] = "11111",
            ["Orleans:Endpoints:GatewayPort"] = "30000",
            ["Fleet:Storage:Provider"] = history.ToString(),
            ["Fleet:Streaming:Provider"] = stream.ToString(),
        };
        if (advertisedAddress is not null)
        {
            settings["Orleans:Endpoints:AdvertisedIPAddress"] = advertisedAddress;
        }

        return settings;
    }

    /// <summary>The Orleans provider sections of a mode, each filled in only when its ProviderType is not configured.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Section paths and the keys each gets.</returns>
    internal static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ProviderSections(FleetMode mode)
    {
        // Embedded: the in-silo membership Orleans calls "Development" (UseLocalhostClustering's, primary silo = this one).
        IReadOnlyDictionary<string, string> clustering = Provider("Development");
        IReadOnlyDictionary<string, string> reminders = Provider("Memory");
        IReadOnlyDictionary<string, string> grainState = Provider("Memory");
        if (mode is FleetMode.LocalCluster or FleetMode.Azure)
        {
            // One storage account for all: the keyed TableServiceClient the host builds from ConnectionStrings:Tables
            // or Fleet:Storage:TableEndpoint (managed identity); Orleans' provider builders take it by ServiceKey.
            clustering = reminders = grainState = Provider("AzureTableStorage", FleetStorageOptions.TableServiceKey);
        }

        return new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            [ClusteringSection] = clustering,
            ["Orleans:Reminders"] = reminders,
            [$"Orleans:GrainStorage:{DefaultStore}"] = grainState,
            [$"Orleans:GrainStorage:{PubSubStore}"] = grainState,
        };
    }

    private static Dictionary<string, string> Provider(string providerType, string? serviceKey = null) =>
        serviceKey is null
            ? new() { ["ProviderType"] = providerType }
            : new() { ["ProviderType"] = providerType, ["ServiceKey"] = serviceKey };
}
