namespace Actors.World.Training;

/// <summary>
/// ViT patch embedding as a matrix product (Dosovitskiy et al. 2021, Eq. 1): images (B,3,H,W) are cut into
/// non-overlapping P×P patches, each flattened in (channel, row, column) order — the order of a Conv2d weight
/// (W,3,P,P) flattened to (W,3·P·P) — so conv(stride P) = unfold · weightᵀ. Patches run row-major over the grid.
/// The unfold is a permutation, so no backward is needed for the pixels (they are inputs).
/// </summary>
public static class PatchUnfold
{
    /// <summary>pixels (B,3,S,S) → patches (B, (S/P)², 3·P·P).</summary>
    public static void Forward(ReadOnlySpan<float> pixels, Span<float> patches, int batch, int imageSize, int patchSize)
    {
        int s = imageSize, p = patchSize, g = s / p, pd = 3 * p * p;
        if (s % p != 0) throw new ArgumentException($"PatchUnfold: image size {s} is not a multiple of patch size {p}");
        if (pixels.Length != batch * 3 * s * s)
            throw new ArgumentException($"PatchUnfold: pixels must be (B={batch},3,{s},{s}) = {batch * 3 * s * s} floats, found {pixels.Length}");
        if (patches.Length != batch * g * g * pd)
            throw new ArgumentException($"PatchUnfold: patches must be ({batch},{g * g},{pd}), found {patches.Length} floats");
        for (int b = 0; b < batch; b++)
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++)
                {
                    int dst = ((b * g + gy) * g + gx) * pd;
                    for (int c = 0; c < 3; c++)
                        for (int y = 0; y < p; y++)
                            pixels.Slice(((b * 3 + c) * s + gy * p + y) * s + gx * p, p)
                                  .CopyTo(patches.Slice(dst + (c * p + y) * p, p));
                }
    }
}
