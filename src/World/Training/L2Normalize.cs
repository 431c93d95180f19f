namespace Actors.World.Training;

/// <summary>Row-wise L2 normalisation y = x/‖x‖ (CLIP's feature normalisation) and its backward.</summary>
public static class L2Normalize
{
    /// <summary>x, y (rows,dim); norm (rows) saved for backward.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> norm, int rows, int dim)
    {
        if (x.Length != rows * dim || y.Length != rows * dim || norm.Length != rows)
            throw new ArgumentException($"L2Normalize.Forward: expected x,y ({rows},{dim}) and norm ({rows}), found {x.Length}, {y.Length}, {norm.Length}");
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * dim, dim);
            double s = 0;
            for (int i = 0; i < dim; i++) s += (double)xr[i] * xr[i];
            float n = (float)Math.Sqrt(s);
            norm[r] = n;
            float inv = n > 0 ? 1f / n : 0f;
            for (int i = 0; i < dim; i++) y[r * dim + i] = xr[i] * inv;
        }
    }

    /// <summary>dx = (dy − y·(y·dy)) / ‖x‖, written (=).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, ReadOnlySpan<float> norm, Span<float> dx, int rows, int dim)
    {
        if (dy.Length != rows * dim || y.Length != rows * dim || dx.Length != rows * dim || norm.Length != rows)
            throw new ArgumentException($"L2Normalize.Backward: expected ({rows},{dim}) tensors and norm ({rows})");
        for (int r = 0; r < rows; r++)
        {
            double dot = 0;
            for (int i = 0; i < dim; i++) dot += (double)y[r * dim + i] * dy[r * dim + i];
            float inv = norm[r] > 0 ? 1f / norm[r] : 0f;
            for (int i = 0; i < dim; i++) dx[r * dim + i] = (float)((dy[r * dim + i] - y[r * dim + i] * dot) * inv);
        }
    }
}
