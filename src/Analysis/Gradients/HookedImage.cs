using Actors.Sae;

namespace Actors.Analysis.Gradients;

/// <summary>
/// One image as an SAE at <see cref="Hook"/> sees it: the hooked rows h (RowCount, Width) — one row for the
/// image embedding or a class-token hook, T or T−1 for token hooks — and, for residual hooks, the whole residual
/// stream (T, W) after the hook's block, so the forward can continue from edited rows.
/// </summary>
public sealed record HookedImage(SaeHookSpec Hook, float[] Rows, int RowCount, int Width, float[]? Residual)
{
    /// <summary>Row <paramref name="row"/> of h (Width).</summary>
    public ReadOnlySpan<float> Row(int row) => Rows.AsSpan(row * Width, Width);
}
