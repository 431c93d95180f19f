using System.Security.Cryptography;

namespace Actors.Blobs;

/// <summary>
/// The address every blob store uses: the lower-case hex SHA-256 of the bytes. One check for all stores, so a
/// malformed hash (which could name a path or a different blob) fails the same way whatever the backend.
/// </summary>
public static class BlobHash
{
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Throws ArgumentException naming the hash unless it is 64 lower-case hex characters.</summary>
    public static string Validate(string hash, string parameterName = "hash")
    {
        if (hash is null || hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"blob hash '{hash}' is not 64 lower-case hex characters (a SHA-256)", parameterName);
        return hash;
    }
}
