namespace Actors.World.Training;

/// <summary>
/// Token + learned position embedding (CLIP text encoder input): x[b,t] = E[id[b,t]] + P[t].
/// Backward is a scatter-add into the rows of E that were used, and a sum over the batch for P.
/// </summary>
public static class TokenEmbedding
{
    /// <summary>ids (B,T), table (V,C), positions (≥T,C) → x (B,T,C).</summary>
    public static void Forward(ReadOnlySpan<int> ids, ReadOnlySpan<float> table, ReadOnlySpan<float> positions,
        Span<float> x, int batch, int tokens, int vocab, int width)
    {
        if (ids.Length != batch * tokens || x.Length != batch * tokens * width || table.Length != vocab * width || positions.Length < tokens * width)
            throw new ArgumentException($"TokenEmbedding.Forward: expected ids ({batch},{tokens}), table ({vocab},{width}), positions (≥{tokens},{width}), x ({batch},{tokens},{width})");
        for (int i = 0; i < batch * tokens; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} at position {i} is outside the vocabulary of {vocab}");
            var row = x.Slice(i * width, width);
            var e = table.Slice(id * width, width);
            var p = positions.Slice(i % tokens * width, width);
            for (int c = 0; c < width; c++) row[c] = e[c] + p[c];
        }
    }

    /// <summary>Accumulates (+=) dTable[id] += dx[b,t] and dPositions[t] += dx[b,t].</summary>
    public static void Backward(ReadOnlySpan<float> dx, ReadOnlySpan<int> ids, Span<float> dTable, Span<float> dPositions,
        int batch, int tokens, int vocab, int width)
    {
        if (ids.Length != batch * tokens || dx.Length != batch * tokens * width || dTable.Length != vocab * width || dPositions.Length < tokens * width)
            throw new ArgumentException($"TokenEmbedding.Backward: expected dx ({batch},{tokens},{width}), dTable ({vocab},{width})");
        for (int i = 0; i < batch * tokens; i++)
        {
            var d = dx.Slice(i * width, width);
            var e = dTable.Slice(ids[i] * width, width);
            var p = dPositions.Slice(i % tokens * width, width);
            for (int c = 0; c < width; c++) { e[c] += d[c]; p[c] += d[c]; }
        }
    }
}
