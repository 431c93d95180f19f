using System.Numerics;

namespace Actors.Sae.Matching;

/// <summary>
/// Which images each latent fired on (activation &gt; 0 on any of the image's hooked tokens, as ingestion counts
/// firing images; the caller marks them), as one bit set per latent. Two SAEs read over the same images give co-activation: the Jaccard
/// index |A ∩ B| / |A ∪ B| of a latent pair's image sets.
/// </summary>
public sealed class LatentFiring
{
    readonly ulong[] bits;
    readonly int words;

    public int Latents { get; }
    public int Images { get; }

    public LatentFiring(int latents, int images)
    {
        if (latents < 0 || images < 0) throw new ArgumentException($"firing sets of {latents} latents over {images} images");
        (Latents, Images, words) = (latents, images, (images + 63) / 64);
        bits = new ulong[(long)latents * words];
    }

    public void Mark(int latent, int image) => bits[(long)latent * words + image / 64] |= 1UL << (image % 64);

    public int Count(int latent)
    {
        int n = 0;
        foreach (var w in Set(latent)) n += BitOperations.PopCount(w);
        return n;
    }

    ReadOnlySpan<ulong> Set(int latent) => bits.AsSpan((int)((long)latent * words), words);

    /// <summary>Jaccard index of latent <paramref name="i"/> here and <paramref name="j"/> in <paramref name="other"/>
    /// (same images); null when neither fired, where co-activation says nothing.</summary>
    public double? Jaccard(int i, LatentFiring other, int j)
    {
        if (other.Images != Images) throw new ArgumentException($"firing sets over {Images} and {other.Images} images");
        var a = Set(i); var b = other.Set(j);
        int both = 0, either = 0;
        for (int w = 0; w < a.Length; w++) { both += BitOperations.PopCount(a[w] & b[w]); either += BitOperations.PopCount(a[w] | b[w]); }
        return either == 0 ? null : (double)both / either;
    }
}
