namespace Actors.Analysis.Gradients;

/// <summary>
/// y(x, t) (seed 000 Eq. 1) for one image and prompt, the image embedding x (proj) it came from, and ∂y/∂h
/// (RowCount, Width): its gradient with respect to the hooked rows, laid out as <see cref="HookedImage.Rows"/>.
/// </summary>
public sealed record ScoreGradient(double Score, float[] Embedding, float[] Gradient, int RowCount, int Width)
{
    /// <summary>∂y/∂h for row <paramref name="row"/> (Width).</summary>
    public ReadOnlySpan<float> Row(int row) => Gradient.AsSpan(row * Width, Width);
}
