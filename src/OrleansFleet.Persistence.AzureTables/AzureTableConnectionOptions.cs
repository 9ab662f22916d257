using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace OrleansFleet.Persistence.AzureTables;

/// <summary>
/// How to reach an Azure Table Storage account: a connection string (Azurite, development) or the account's table
/// endpoint with a token credential (Azure, managed identity). Exactly one of the two must be set.
/// </summary>
public abstract class AzureTableConnectionOptions
{
    /// <summary>Connection string of the storage account, e.g. Azurite's development account. Leave empty when <see cref="TableServiceUri"/> is used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint of the storage account (<c>https://{account}.table.core.windows.net/</c>), used with <see cref="TokenCredential"/>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Credential for <see cref="TableServiceUri"/>; <c>null</c> means <see cref="DefaultAzureCredential"/>, which picks up the managed identity in Azure.</summary>
    public TokenCredential? TokenCredential { get; set; }

    /// <summary>The table to use; created at startup when missing.</summary>
    public abstract string TableName { get; set; }

    /// <summary>Creates the client for <see cref="TableName"/> from whichever connection setting is present.</summary>
    /// <param name="clientOptions">Transport and retry settings of the Azure SDK.</param>
    /// <returns>The table client.</returns>
    internal TableClient CreateTableClient(TableClientOptions clientOptions)
    {
        TableServiceClient service = !string.IsNullOrWhiteSpace(ConnectionString)
            ? new TableServiceClient(ConnectionString, clientOptions)
            : new TableServiceClient(
                TableServiceUri ?? throw new InvalidOperationException("Neither ConnectionString nor TableServiceUri is set."),
                TokenCredential ?? new DefaultAzureCredential(),
                clientOptions);
        return service.GetTableClient(TableName);
    }

    /// <summary>Says what is wrong with these settings, naming the setting, or returns <c>null</c> when they are usable.</summary>
    /// <param name="owner">What these settings configure, for the message (e.g. "Azure Table grain storage 'Default'").</param>
    /// <returns>The problem, or <c>null</c>.</returns>
    internal string? FindProblem(string owner)
    {
        bool hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (TableServiceUri is not null))
        {
            return hasConnectionString
                ? $"{owner}: set either ConnectionString or TableServiceUri, not both."
                : $"{owner}: no storage account configured. Set ConnectionString (Azurite or development) or TableServiceUri (Azure, with managed identity or TokenCredential).";
        }

        if (TableServiceUri is { IsAbsoluteUri: false })
        {
            return $"{owner}: TableServiceUri '{TableServiceUri}' must be an absolute URI such as https://myaccount.table.core.windows.net/.";
        }

        // Azure table names: 3 to 63 alphanumeric characters, not starting with a digit.
        if (string.IsNullOrEmpty(TableName) || TableName.Length is < 3 or > 63 || !char.IsAsciiLetter(TableName[0])
            || !TableName.All(char.IsAsciiLetterOrDigit))
        {
            return $"{owner}: TableName '{TableName}' is not a valid Azure table name (3 to 63 letters or digits, starting with a letter).";
        }

        return null;
    }
}
