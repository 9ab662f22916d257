using YamlDotNet.RepresentationModel;

namespace OrleansFleet.Infra.Tests;

/// <summary>azure.yaml points at things that exist: each service's project, Dockerfile and build context, and the Bicep it deploys with.</summary>
public sealed class AzureYamlTests
{
    private static readonly YamlMappingNode Document = Load();

    public static TheoryData<string> ServiceNames() => [.. Services().Select(service => service.Name)];

    [Fact]
    public void InfraModuleExists()
    {
        YamlMappingNode? infra = Document.Children.TryGetValue("infra", out YamlNode? node) ? (YamlMappingNode)node : null;
        string path = Scalar(infra, "path") ?? "infra";
        string module = Scalar(infra, "module") ?? "main";

        Assert.True(File.Exists(Path.Combine(Repository.Root, path, $"{module}.bicep")), $"azure.yaml deploys {path}/{module}.bicep, which does not exist.");
    }

    [Fact]
    public void DefinesAtLeastOneService() => Assert.NotEmpty(Services());

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void ServiceProjectExists(string name)
    {
        string project = ProjectDirectory(name);

        Assert.True(Directory.Exists(project), $"Service '{name}': project folder {project} does not exist.");
        Assert.NotEmpty(Directory.EnumerateFiles(project, "*.csproj"));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void ServiceDockerfileAndContextExist(string name)
    {
        YamlMappingNode? docker = Service(name).Children.TryGetValue("docker", out YamlNode? node) ? (YamlMappingNode)node : null;
        // azd resolves both against the project folder; its defaults are ./Dockerfile and the project folder itself.
        string dockerfile = Path.GetFullPath(Path.Combine(ProjectDirectory(name), Scalar(docker, "path") ?? "Dockerfile"));
        string context = Path.GetFullPath(Path.Combine(ProjectDirectory(name), Scalar(docker, "context") ?? "."));

        Assert.True(File.Exists(dockerfile), $"Service '{name}': Dockerfile {dockerfile} does not exist.");
        Assert.True(Directory.Exists(context), $"Service '{name}': build context {context} does not exist.");
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void ServiceIsAContainerAppBuiltRemotely(string name)
    {
        YamlMappingNode service = Service(name);

        Assert.Equal("containerapp", Scalar(service, "host"));
        // No Docker engine is assumed on the developer's machine: the registry builds the image.
        Assert.Equal("true", Scalar(service.Children.TryGetValue("docker", out YamlNode? docker) ? (YamlMappingNode)docker : null, "remoteBuild"));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void ServiceHasAContainerAppTaggedWithItsName(string name) =>
        Assert.Contains(name, BicepTemplateTests.DeployedServiceNames());

    private static string ProjectDirectory(string name) =>
        Path.GetFullPath(Path.Combine(Repository.Root, Scalar(Service(name), "project") ?? throw new Xunit.Sdk.XunitException($"Service '{name}' has no project.")));

    private static IEnumerable<(string Name, YamlMappingNode Node)> Services() =>
        Document.Children.TryGetValue("services", out YamlNode? services)
            ? ((YamlMappingNode)services).Children.Select(service => (((YamlScalarNode)service.Key).Value!, (YamlMappingNode)service.Value))
            : [];

    private static YamlMappingNode Service(string name) => Services().Single(service => service.Name == name).Node;

    private static string? Scalar(YamlMappingNode? mapping, string key) =>
        mapping is not null && mapping.Children.TryGetValue(key, out YamlNode? value) ? ((YamlScalarNode)value).Value : null;

    private static YamlMappingNode Load()
    {
        YamlStream stream = [];
        using StreamReader reader = new(Path.Combine(Repository.Root, "azure.yaml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
