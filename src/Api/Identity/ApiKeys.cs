using System.Security.Cryptography;
using System.Text;

namespace Actors.Api.Identity;

/// <summary>
/// API keys "ak_{id}_{secret}": a public id that finds the key, and 32 random bytes (base64url) that prove it. Only
/// SHA-256 of the secret is stored: the secret is random, so a hash needs no salt or stretching to resist guessing.
/// </summary>
public static class ApiKeys
{
    public const string Header = "x-api-key";
    const string Prefix = "ak_";

    public sealed record Issued(string KeyId, string Plaintext, byte[] SecretHash);

    public static Issued Generate()
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Issued(id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>The id and secret of a presented key, or null when it is not of our form.</summary>
    public static (string KeyId, string Secret)? Parse(string? presented)
    {
        if (presented is null || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200) return null;
        int split = presented.IndexOf('_', Prefix.Length);
        if (split <= Prefix.Length || split == presented.Length - 1) return null;
        return (presented[Prefix.Length..split], presented[(split + 1)..]);
    }

    /// <summary>A key given in configuration (e.g. CI's first admin): parsed and hashed, or an error naming the setting.</summary>
    public static Issued FromConfigured(string plaintext, string setting) =>
        Parse(plaintext) is { } parsed && parsed.Secret.Length >= 16
            ? new Issued(parsed.KeyId, plaintext, Hash(parsed.Secret))
            : throw new InvalidOperationException($"{setting} must look like ak_<id>_<secret of 16+ characters>");

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
