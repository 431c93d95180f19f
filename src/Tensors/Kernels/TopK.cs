using System.Numerics;

namespace Actors.Tensors.Kernels;

/// <summary>
/// Per-row top-k selection (the TopK SAE activation, Gao et al. 2024, eq. 2, and "top reference images").
/// Order: larger value first; equal values by smaller column index first, so results are deterministic.
/// NaN ranks below every number; the order among several NaNs is unspecified.
/// </summary>
public static class TopK
{
    /// <summary>x (rows, cols); writes indices and values (rows, k), each row descending.</summary>
    public static unsafe void Rows(ReadOnlySpan<float> x, int rows, int cols, int k, Span<int> indices, Span<float> values)
    {
        Check("TopK.Rows", x.Length, rows, cols, k, indices.Length, values.Length);
        if (rows == 0 || k == 0) return;
        fixed (float* px = x) fixed (int* pi = indices) fixed (float* pv = values)
        {
            nint ax = (nint)px, ai = (nint)pi, av = (nint)pv;
            RowParallel.For(rows, cols, (_, first, end) =>
            {
                for (int r = first; r < end; r++)
                    SelectRow(new ReadOnlySpan<float>((float*)ax + (long)r * cols, cols),
                        new Span<int>((int*)ai + (long)r * k, k), new Span<float>((float*)av + (long)r * k, k));
            });
        }
    }

    /// <summary>
    /// One row: a size-k min-heap (worst selected element at the root) filled in one pass; most elements are
    /// rejected by a single comparison with the root. The heap is then sorted into descending order.
    /// </summary>
    static void SelectRow(ReadOnlySpan<float> x, Span<int> idx, Span<float> val)
    {
        int k = idx.Length;
        for (int i = 0; i < k; i++) { val[i] = x[i]; idx[i] = i; SiftUp(val, idx, i); }
        int j = k;
        // Vector scan: most chunks hold nothing above the current k-th best and are skipped with one compare.
        // While the root is NaN every number beats it, so that case takes the scalar path.
        for (; j + Vector<float>.Count <= x.Length; j += Vector<float>.Count)
        {
            if (!float.IsNaN(val[0]) && !Vector.GreaterThanAny(new Vector<float>(x.Slice(j)), new Vector<float>(val[0]))) continue;
            for (int e = j; e < j + Vector<float>.Count; e++) Offer(x[e], e, val, idx);
        }
        for (; j < x.Length; j++) Offer(x[j], j, val, idx);
        // Heap sort: repeatedly move the worst element to the end, leaving the best first.
        for (int end = k - 1; end > 0; end--)
        {
            (val[0], val[end]) = (val[end], val[0]);
            (idx[0], idx[end]) = (idx[end], idx[0]);
            SiftDown(val, idx, 0, end);
        }
    }

    /// <summary>Replaces the heap's worst element by (v, j) when v ranks above it.</summary>
    static void Offer(float v, int j, Span<float> val, Span<int> idx)
    {
        // Scanning in index order, an equal value has the larger index and ranks lower: strict > is right.
        // NaN ranks below every number: a NaN root is always replaced, a NaN candidate never enters.
        if (!(v > val[0]) && !float.IsNaN(val[0])) return;
        val[0] = v; idx[0] = j;
        SiftDown(val, idx, 0, idx.Length);
    }

    /// <summary>True when (va, ia) ranks below (vb, ib): smaller value, or equal value and larger index.</summary>
    static bool Worse(float va, int ia, float vb, int ib) => va < vb || (va == vb && ia > ib) || (float.IsNaN(va) && !float.IsNaN(vb));

    static void SiftUp(Span<float> val, Span<int> idx, int j)
    {
        while (j > 0)
        {
            int parent = (j - 1) / 2;
            if (!Worse(val[j], idx[j], val[parent], idx[parent])) break;
            (val[j], val[parent]) = (val[parent], val[j]);
            (idx[j], idx[parent]) = (idx[parent], idx[j]);
            j = parent;
        }
    }

    static void SiftDown(Span<float> val, Span<int> idx, int j, int size)
    {
        while (true)
        {
            int left = 2 * j + 1, worst = j;
            if (left < size && Worse(val[left], idx[left], val[worst], idx[worst])) worst = left;
            if (left + 1 < size && Worse(val[left + 1], idx[left + 1], val[worst], idx[worst])) worst = left + 1;
            if (worst == j) return;
            (val[j], val[worst]) = (val[worst], val[j]);
            (idx[j], idx[worst]) = (idx[worst], idx[j]);
            j = worst;
        }
    }

    /// <summary>Reference for <see cref="Rows"/>: sort every column of the row by (value desc, index asc).</summary>
    public static void RowsNaive(ReadOnlySpan<float> x, int rows, int cols, int k, Span<int> indices, Span<float> values)
    {
        Check("TopK.RowsNaive", x.Length, rows, cols, k, indices.Length, values.Length);
        for (int r = 0; r < rows; r++)
        {
            var order = Enumerable.Range(0, cols).ToArray();
            var row = x.Slice(r * cols, cols).ToArray();
            Array.Sort(order, (a, b) => row[a] != row[b] ? row[b].CompareTo(row[a]) : a.CompareTo(b));
            for (int j = 0; j < k; j++) { indices[r * k + j] = order[j]; values[r * k + j] = row[order[j]]; }
        }
    }

    static void Check(string kernel, int x, int rows, int cols, int k, int indices, int values)
    {
        KernelChecks.Positive(kernel, "rows", rows); KernelChecks.Positive(kernel, "cols", cols);
        if (k < 0 || k > cols) throw new ArgumentException($"{kernel}: k is {k}, must be in [0, cols = {cols}]");
        KernelChecks.Length(kernel, "x", x, (long)rows * cols, $"rows·cols ({rows}·{cols})");
        if (indices != (long)rows * k)
            throw new ArgumentException($"{kernel}: indices holds {indices} ints, expected {(long)rows * k} = rows·k ({rows}·{k})");
        KernelChecks.Length(kernel, "values", values, (long)rows * k, $"rows·k ({rows}·{k})");
    }
}
