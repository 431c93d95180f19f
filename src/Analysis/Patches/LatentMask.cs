namespace Actors.Analysis.Patches;

/// <summary>
/// Which SAE latents the decoder may use: Kept[s] is 1 in seed 002's mask vector. The host multiplies the latent
/// activations by it before decoding and splices the reconstruction back into the model.
/// </summary>
public sealed record LatentMask(bool[] Kept)
{
    public int LatentCount => Kept.Length;

    public int KeptCount => Kept.Count(k => k);

    public static LatentMask For(ReadOnlySpan<int> selected, int latentCount, MaskMode mode)
    {
        var kept = new bool[latentCount];
        if (mode == MaskMode.Off) Array.Fill(kept, true);
        foreach (int s in selected)
        {
            if ((uint)s >= (uint)latentCount) throw new ArgumentOutOfRangeException(nameof(selected), $"latent {s} is not in [0, {latentCount})");
            kept[s] = mode == MaskMode.On;
        }
        return new LatentMask(kept);
    }
}
