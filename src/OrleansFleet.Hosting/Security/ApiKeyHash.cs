using System.Security.Cryptography;
using System.Text;

namespace OrleansFleet.Hosting.Security;

/// <summary>SHA-256 of an API key, the only form in which keys are configured.</summary>
public static class ApiKeyHash
{
    /// <summary>The SHA-256 of the key's UTF-8 bytes.</summary>
    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Reads a configured hash: 64 hex digits or the base64 of 32 bytes.</summary>
    public static bool TryParse(string? text, out byte[] hash)
    {
        hash = [];
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Length == 64 && text.All(char.IsAsciiHexDigit))
        {
            hash = Convert.FromHexString(text);
            return true;
        }

        var buffer = new byte[32];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == 32)
        {
            hash = buffer;
            return true;
        }

        return false;
    }

    /// <summary>
    /// <c>hash-key &lt;key&gt;</c> on the host's command line prints the key's hash and exits, so an operator can
    /// configure a key without another tool. Returns whether the arguments asked for it.
    /// </summary>
    public static bool TryRunCommand(string[] args, TextWriter output)
    {
        if (args is not ["hash-key", ..])
        {
            return false;
        }

        if (args is not [_, var key] || key.Length == 0)
        {
            output.WriteLine("usage: hash-key <key>   (prints the SHA-256 to put in Fleet:Security:ApiKeys:<name>:Hash)");
            return true;
        }

        var hash = Of(key);
        output.WriteLine(Convert.ToHexStringLower(hash));
        return true;
    }
}
