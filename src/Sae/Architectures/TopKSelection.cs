using System.Numerics;
using System.Runtime.InteropServices;

namespace Actors.Sae.Architectures;

/// <summary>
/// Per-row top-k over SAE pre-activations with the encoder bias fused into the scan: the k largest values of
/// pre[j] + bias[j], descending (ties: lower latent index first), with their latent indices. A size-k min-heap
/// holds the current best; the vectorised scan only leaves the fast path when some lane beats the heap's worst,
/// which after the first few thousand latents is rare — so the cost is one streaming read of the row.
/// </summary>
public static class TopKSelection
{
    /// <summary>Selects from all latents; indices/values get min(k, n) entries. Returns that count.</summary>
    public static int SelectRow(ReadOnlySpan<float> pre, ReadOnlySpan<float> bias, int k, Span<int> indices, Span<float> values)
    {
        int n = pre.Length;
        if (bias.Length != n) throw new ArgumentException($"top-k: bias has {bias.Length} entries, row has {n}");
        k = Math.Min(k, n);
        if (indices.Length < k || values.Length < k) throw new ArgumentException($"top-k: output spans hold {indices.Length}/{values.Length}, need {k}");
        if (k == 0) return 0;
        for (int i = 0; i < k; i++) { values[i] = pre[i] + bias[i]; indices[i] = i; }
        for (int i = k / 2 - 1; i >= 0; i--) SiftDown(values, indices, i, k);

        int j = k, width = Vector<float>.Count;
        for (; j < n && j % width != 0; j++) Offer(values, indices, k, pre[j] + bias[j], j);
        var preV = MemoryMarshal.Cast<float, Vector<float>>(pre[j..]);
        var biasV = MemoryMarshal.Cast<float, Vector<float>>(bias[j..]);
        var worst = new Vector<float>(values[0]);
        for (int v = 0; v < preV.Length; v++)
        {
            var sum = preV[v] + biasV[v];
            if (!Vector.GreaterThanAny(sum, worst)) continue;
            int baseIndex = j + v * width;
            for (int lane = 0; lane < width; lane++) Offer(values, indices, k, sum[lane], baseIndex + lane);
            worst = new Vector<float>(values[0]);
        }
        for (j += preV.Length * width; j < n; j++) Offer(values, indices, k, pre[j] + bias[j], j);
        SortDescending(values, indices, k);
        return k;
    }

    /// <summary>Selects only among the given candidate latents (ascending), e.g. the dead latents for AuxK.</summary>
    public static int SelectRowAmong(ReadOnlySpan<float> pre, ReadOnlySpan<float> bias, ReadOnlySpan<int> candidates, int k, Span<int> indices, Span<float> values)
    {
        k = Math.Min(k, candidates.Length);
        if (k == 0) return 0;
        for (int i = 0; i < k; i++) { int c = candidates[i]; values[i] = pre[c] + bias[c]; indices[i] = c; }
        for (int i = k / 2 - 1; i >= 0; i--) SiftDown(values, indices, i, k);
        for (int i = k; i < candidates.Length; i++) { int c = candidates[i]; Offer(values, indices, k, pre[c] + bias[c], c); }
        SortDescending(values, indices, k);
        return k;
    }

    /// <summary>Reference: full sort of (value desc, index asc), first k. Same contract as <see cref="SelectRow"/>.</summary>
    public static int SelectRowNaive(ReadOnlySpan<float> pre, ReadOnlySpan<float> bias, int k, Span<int> indices, Span<float> values)
    {
        int n = pre.Length; k = Math.Min(k, n);
        var all = new (float Value, int Index)[n];
        for (int i = 0; i < n; i++) all[i] = (pre[i] + bias[i], i);
        Array.Sort(all, (a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : a.Index.CompareTo(b.Index));
        for (int i = 0; i < k; i++) { values[i] = all[i].Value; indices[i] = all[i].Index; }
        return k;
    }

    // Heap order: root is the worst entry (smallest value; among equal values the larger index).
    static bool Worse(float va, int ia, float vb, int ib) => va < vb || (va == vb && ia > ib);

    // Candidates arrive in ascending index order, so a newcomer beats the root only with a strictly larger value.
    static void Offer(Span<float> values, Span<int> indices, int k, float value, int index)
    {
        if (!(value > values[0])) return;
        values[0] = value; indices[0] = index;
        SiftDown(values, indices, 0, k);
    }

    static void SiftDown(Span<float> values, Span<int> indices, int i, int size)
    {
        while (true)
        {
            int l = 2 * i + 1, r = l + 1, w = i;
            if (l < size && Worse(values[l], indices[l], values[w], indices[w])) w = l;
            if (r < size && Worse(values[r], indices[r], values[w], indices[w])) w = r;
            if (w == i) return;
            (values[i], values[w]) = (values[w], values[i]);
            (indices[i], indices[w]) = (indices[w], indices[i]);
            i = w;
        }
    }

    // Heap-sort with a worst-at-root heap leaves the entries best-first.
    static void SortDescending(Span<float> values, Span<int> indices, int k)
    {
        for (int end = k - 1; end > 0; end--)
        {
            (values[0], values[end]) = (values[end], values[0]);
            (indices[0], indices[end]) = (indices[end], indices[0]);
            SiftDown(values, indices, 0, end);
        }
    }
}
