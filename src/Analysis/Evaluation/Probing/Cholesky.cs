namespace Actors.Analysis.Evaluation.Probing;

/// <summary>Solves A·x = b for a symmetric positive definite A (row-major, m × m) by A = L·Lᵀ.</summary>
internal static class Cholesky
{
    /// <summary>Returns false when A is not numerically positive definite.</summary>
    public static bool TrySolve(double[] a, int m, ReadOnlySpan<double> b, Span<double> x)
    {
        var l = new double[m * m];
        for (int i = 0; i < m; i++)
        for (int j = 0; j <= i; j++)
        {
            double sum = a[i * m + j];
            for (int k = 0; k < j; k++) sum -= l[i * m + k] * l[j * m + k];
            if (i == j)
            {
                if (!(sum > 0)) return false;
                l[i * m + i] = Math.Sqrt(sum);
            }
            else l[i * m + j] = sum / l[j * m + j];
        }
        // L·y = b, then Lᵀ·x = y.
        for (int i = 0; i < m; i++)
        {
            double sum = b[i];
            for (int k = 0; k < i; k++) sum -= l[i * m + k] * x[k];
            x[i] = sum / l[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double sum = x[i];
            for (int k = i + 1; k < m; k++) sum -= l[k * m + i] * x[k];
            x[i] = sum / l[i * m + i];
        }
        return true;
    }
}
