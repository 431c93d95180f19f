namespace Actors.World.Training;

/// <summary>
/// Picks one token per sequence: the class token (index 0) in the vision tower, the end-of-text token in the
/// text tower (CLIP: "the activations of the highest layer of the transformer at the [EOS] token").
/// Backward scatters the pooled gradient back to that token and zero elsewhere.
/// </summary>
public static class TokenPooling
{
    /// <summary>x (B,T,C), index (B) → pooled (B,C).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<int> index, Span<float> pooled, int batch, int tokens, int width)
    {
        Check(x.Length, index, pooled.Length, batch, tokens, width);
        for (int b = 0; b < batch; b++) x.Slice((b * tokens + index[b]) * width, width).CopyTo(pooled.Slice(b * width, width));
    }

    /// <summary>dx (B,T,C) written (=): dPooled at the picked token, zero elsewhere.</summary>
    public static void Backward(ReadOnlySpan<float> dPooled, ReadOnlySpan<int> index, Span<float> dx, int batch, int tokens, int width)
    {
        Check(dx.Length, index, dPooled.Length, batch, tokens, width);
        dx.Clear();
        for (int b = 0; b < batch; b++) dPooled.Slice(b * width, width).CopyTo(dx.Slice((b * tokens + index[b]) * width, width));
    }

    static void Check(int xLength, ReadOnlySpan<int> index, int pooledLength, int batch, int tokens, int width)
    {
        if (xLength != batch * tokens * width || pooledLength != batch * width || index.Length != batch)
            throw new ArgumentException($"TokenPooling: expected x ({batch},{tokens},{width}), index ({batch}), pooled ({batch},{width})");
        for (int b = 0; b < batch; b++)
            if ((uint)index[b] >= (uint)tokens)
                throw new ArgumentOutOfRangeException(nameof(index), $"pooling index {index[b]} for sequence {b} is outside 0..{tokens - 1}");
    }
}
