namespace OrleansFleet.Persistence.AzureTables;

/// <summary>Turns arbitrary strings into valid PartitionKey/RowKey values the way Orleans' official Azure provider does.</summary>
internal static class AzureTableKeys
{
    // Azure Tables forbids '/', '\', '#' and '?' in keys; the official provider maps them to '_', and so must we for the
    // same grain to find its old row. Keys are limited to 1 KiB.
    private const int MaxKeyLength = 1024;

    public static string Sanitize(string key)
    {
        string sanitized = key.Replace('/', '_').Replace('\\', '_').Replace('#', '_').Replace('?', '_');
        if (sanitized.Length >= MaxKeyLength)
        {
            throw new ArgumentException($"The key is {sanitized.Length} characters, too long for an Azure table key (under {MaxKeyLength}): {sanitized[..64]}…", nameof(key));
        }

        return sanitized;
    }
}
