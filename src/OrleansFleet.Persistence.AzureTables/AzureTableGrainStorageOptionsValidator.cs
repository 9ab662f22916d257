namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// Checks a grain storage provider's settings when the silo starts. Orleans runs every <see cref="IConfigurationValidator"/>
/// before the silo joins the cluster, so a missing setting stops startup with a message instead of failing the first grain.
/// </summary>
internal sealed class AzureTableGrainStorageOptionsValidator(AzureTableGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        string? problem = options.FindProblem($"Azure Table grain storage '{name}'");
        if (problem is not null)
        {
            throw new OrleansConfigurationException(problem);
        }
    }
}
