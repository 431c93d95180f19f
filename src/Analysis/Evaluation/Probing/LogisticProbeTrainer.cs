namespace Actors.Analysis.Evaluation.Probing;

/// <summary>
/// Trains a <see cref="LogisticProbe"/> by Newton's method (IRLS) with a backtracking line search: deterministic (no
/// sampling, fixed summation order) and converging to the unique minimiser of the strictly convex L2-regularised
/// objective. Each step costs O(n·d² + d³), fine for CLIP embedding sizes (512-1024) and thousands of samples.
/// </summary>
public static class LogisticProbeTrainer
{
    public static LogisticProbe Train(IReadOnlyList<float[]> embeddings, IReadOnlyList<bool> isPositive, LogisticProbeOptions? options = null)
    {
        options ??= LogisticProbeOptions.Default;
        int n = embeddings.Count;
        if (n == 0 || isPositive.Count != n) throw new ArgumentException($"{n} embeddings but {isPositive.Count} labels");
        if (!(options.L2 > 0)) throw new ArgumentException($"the L2 penalty must be positive (separable data has no finite optimum without it), got {options.L2}");
        int d = embeddings[0].Length;
        foreach (var x in embeddings) if (x.Length != d) throw new ArgumentException($"embeddings of {d} and {x.Length} dimensions");
        if (isPositive.All(p => p) || !isPositive.Any(p => p)) throw new ArgumentException("a probe needs positive and negative samples");

        int m = d + 1; // weights, then the bias
        var theta = new double[m];
        var gradient = new double[m];
        var hessian = new double[m * m];
        var step = new double[m];
        var trial = new double[m];
        double objective = Objective(embeddings, isPositive, theta, options.L2);
        int iteration = 0;
        double gradientNorm;
        while (true)
        {
            gradientNorm = GradientAndHessian(embeddings, isPositive, theta, options.L2, gradient, hessian);
            if (gradientNorm < options.GradientTolerance || iteration == options.MaxIterations) break;
            iteration++;
            var negative = gradient.Select(g => -g).ToArray();
            if (!Cholesky.TrySolve(hessian, m, negative, step))
                negative.CopyTo(step, 0); // not reached for λ > 0 unless every sample saturates; fall back to steepest descent
            double slope = 0;
            for (int i = 0; i < m; i++) slope += gradient[i] * step[i];
            double t = 1, next;
            while (true)
            {
                for (int i = 0; i < m; i++) trial[i] = theta[i] + t * step[i];
                next = Objective(embeddings, isPositive, trial, options.L2);
                if (next <= objective + 1e-4 * t * slope || t < 1e-12) break;
                t /= 2;
            }
            if (!(next < objective)) break; // rounding floor: no step decreases the objective any more
            (theta, trial) = (trial, theta);
            objective = next;
        }
        return new LogisticProbe(theta[..d], theta[d], iteration, gradientNorm);
    }

    /// <summary>J = (1/n)·Σ [softplus(z) − y·z] + (λ/2)·‖w‖², z = w·x + b.</summary>
    internal static double Objective(IReadOnlyList<float[]> x, IReadOnlyList<bool> y, ReadOnlySpan<double> theta, double l2)
    {
        int d = theta.Length - 1;
        double loss = 0;
        for (int s = 0; s < x.Count; s++)
        {
            double z = Logit(x[s], theta);
            loss += Softplus(z) - (y[s] ? z : 0);
        }
        double penalty = 0;
        for (int i = 0; i < d; i++) penalty += theta[i] * theta[i];
        return loss / x.Count + 0.5 * l2 * penalty;
    }

    /// <summary>∇J = (1/n)·Σ (p − y)·[x; 1] + λ·[w; 0] and ∇²J = (1/n)·Σ p(1 − p)·[x; 1][x; 1]ᵀ + λ·diag(1, …, 1, 0). Returns ‖∇J‖∞.</summary>
    private static double GradientAndHessian(IReadOnlyList<float[]> x, IReadOnlyList<bool> y, double[] theta, double l2,
        double[] gradient, double[] hessian)
    {
        int m = theta.Length, d = m - 1, n = x.Count;
        Array.Clear(gradient); Array.Clear(hessian);
        var row = new double[m];
        row[d] = 1;
        for (int s = 0; s < n; s++)
        {
            var xs = x[s];
            for (int i = 0; i < d; i++) row[i] = xs[i];
            double p = Sigmoid(Logit(xs, theta));
            double residual = p - (y[s] ? 1 : 0), weight = p * (1 - p);
            for (int i = 0; i < m; i++)
            {
                gradient[i] += residual * row[i];
                double wi = weight * row[i];
                for (int j = 0; j <= i; j++) hessian[i * m + j] += wi * row[j];
            }
        }
        double norm = 0;
        for (int i = 0; i < m; i++)
        {
            gradient[i] = gradient[i] / n + (i < d ? l2 * theta[i] : 0);
            norm = Math.Max(norm, Math.Abs(gradient[i]));
            for (int j = 0; j <= i; j++)
            {
                double h = hessian[i * m + j] / n + (i == j && i < d ? l2 : 0);
                hessian[i * m + j] = h; hessian[j * m + i] = h;
            }
        }
        return norm;
    }

    private static double Logit(float[] x, ReadOnlySpan<double> theta)
    {
        int d = x.Length;
        double z = theta[d];
        for (int i = 0; i < d; i++) z += theta[i] * x[i];
        return z;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>log(1 + eᶻ) without overflow.</summary>
    private static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
}
