namespace Actors.Vision.Clip;

/// <summary>
/// The residual stream after one transformer block: (Batch, Tokens, Width) row-major; token 0 is the class token,
/// tokens 1.. are the patches in raster order. Writes go back into the model: the next block continues from
/// whatever the hook leaves here (SAE splicing, ablation, steering).
/// </summary>
public readonly ref struct ResidualStream(Span<float> values, int batch, int tokens, int width)
{
    public Span<float> Values { get; } = values;
    public int Batch { get; } = batch;
    public int Tokens { get; } = tokens;
    public int Width { get; } = width;

    /// <summary>One token's residual vector (Width values).</summary>
    public Span<float> Token(int image, int token) => Values.Slice((image * Tokens + token) * Width, Width);
}

/// <summary>Called after block <paramref name="layer"/> (0-based) of the vision transformer; may read or edit the stream.</summary>
public delegate void ResidualHook(int layer, ResidualStream residual);
