namespace Actors.Grains.Latents;

/// <summary>A latent grain's key "{sae}/{latent}"; the SAE id may itself contain '/'.</summary>
public static class LatentKey
{
    public static string Of(string saeId, int latent) => $"{saeId}/{latent}";

    public static (string SaeId, int Latent) Parse(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), out int latent) || latent < 0)
            throw new ArgumentException($"latent grain key '{key}' is not of the form '{{sae}}/{{latent index}}'");
        return (key[..slash], latent);
    }
}
