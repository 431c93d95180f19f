using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

/// <summary>
/// Forward passes in double written independently of the kernels, and central finite differences of the scalar
/// L(x) = Σ dy ⊙ f(x), whose gradient is exactly what a backward kernel returns for upstream gradient dy.
/// </summary>
internal static class DoubleReference
{
    public const double Step = 1e-4;

    public static double[] ToDouble(float[] v) => Array.ConvertAll(v, f => (double)f);

    /// <summary>dL/dp for every element of p (perturbed in place and restored), where L = ⟨dy, forward()⟩.</summary>
    public static float[] Gradient(double[] p, float[] dy, Func<double[]> forward)
    {
        var g = new float[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double keep = p[i];
            p[i] = keep + Step; double up = Dot(dy, forward());
            p[i] = keep - Step; double down = Dot(dy, forward());
            p[i] = keep;
            g[i] = (float)((up - down) / (2 * Step));
        }
        return g;
    }

    static double Dot(float[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double[] Linear(double[] x, double[] w, double[]? b, int n, int c, int oc)
    {
        var y = new double[n * oc];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < oc; o++)
            {
                double s = b?[o] ?? 0;
                for (int k = 0; k < c; k++) s += x[i * c + k] * w[o * c + k];
                y[i * oc + o] = s;
            }
        return y;
    }

    public static double[] LayerNorm(double[] x, double[] gamma, double[] beta, int rows, int dim, double eps)
    {
        var y = new double[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * dim, dim).ToArray();
            double mu = row.Average(), v = row.Select(z => (z - mu) * (z - mu)).Average();
            for (int i = 0; i < dim; i++) y[r * dim + i] = (row[i] - mu) / Math.Sqrt(v + eps) * gamma[i] + beta[i];
        }
        return y;
    }

    public static double[] Softmax(double[] x, int rows, int cols)
    {
        var y = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double max = x.AsSpan(r * cols, cols).ToArray().Max(), sum = 0;
            for (int j = 0; j < cols; j++) sum += y[r * cols + j] = Math.Exp(x[r * cols + j] - max);
            for (int j = 0; j < cols; j++) y[r * cols + j] /= sum;
        }
        return y;
    }

    /// <summary>Attention by gathering each head into its own q, k, v matrices (a different route from the kernel).</summary>
    public static double[] Attention(double[] qkv, int b, int t, int c, int heads, bool causal)
    {
        int d = c / heads;
        var output = new double[b * t * c];
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
            {
                double[,] q = new double[t, d], k = new double[t, d], v = new double[t, d];
                for (int i = 0; i < t; i++)
                    for (int e = 0; e < d; e++)
                    {
                        int row = (bi * t + i) * 3 * c;
                        q[i, e] = qkv[row + h * d + e]; k[i, e] = qkv[row + c + h * d + e]; v[i, e] = qkv[row + 2 * c + h * d + e];
                    }
                for (int i = 0; i < t; i++)
                {
                    int visible = causal ? i + 1 : t;
                    var s = new double[visible];
                    for (int j = 0; j < visible; j++)
                    {
                        for (int e = 0; e < d; e++) s[j] += q[i, e] * k[j, e];
                        s[j] /= Math.Sqrt(d);
                    }
                    var p = Softmax(s, 1, visible);
                    for (int e = 0; e < d; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j < visible; j++) acc += p[j] * v[j, e];
                        output[(bi * t + i) * c + h * d + e] = acc;
                    }
                }
            }
        return output;
    }

    public static double[] Activation(ActivationKind kind, double[] x) => Array.ConvertAll(x, z => Activations.Value(kind, z));
}
