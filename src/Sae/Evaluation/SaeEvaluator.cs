using Actors.Sae.Architectures;
using Actors.Sae.Training;

namespace Actors.Sae.Evaluation;

/// <summary>Reconstruction and sparsity metrics over activations (seed 001 App. 12.1 tables; seed 002 App. A.1).</summary>
public sealed record SaeMetrics(long Tokens, double Mse, double ExplainedVariance, double MeanL0, double DeadFraction,
    double MeanLog10FeatureDensity, double MeanCosineSimilarity, double[] FeatureDensity);

public static class SaeEvaluator
{
    /// <summary>
    /// MSE = mean over tokens of ‖x − x̂‖²/d_in; explained variance = 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖²; L0 = mean active
    /// latents per token; feature density = fraction of tokens where a latent fires; dead = density 0; mean log10
    /// density over latents that fired; cosine = mean cos(x, x̂).
    /// </summary>
    public static SaeMetrics Evaluate(SparseAutoencoder sae, IActivationSource source, long maxTokens, int batchSize = 4096)
    {
        int d = sae.DIn;
        var batch = new float[(long)batchSize * d];
        var fires = new long[sae.DSae];
        double sqErr = 0, l0 = 0, cos = 0; long tokens = 0;
        var sum = new double[d]; var sumSq = new double[d];
        while (tokens < maxTokens)
        {
            int rows = source.Read(batch, (int)Math.Min(batchSize, maxTokens - tokens));
            if (rows == 0) break;
            var x = batch.AsSpan(0, rows * d);
            var acts = sae.Encode(x, rows);
            var recon = sae.Decode(acts);
            for (int r = 0; r < rows; r++)
            {
                double e = 0, xx = 0, hh = 0, xh = 0;
                for (int i = 0; i < d; i++)
                {
                    double xi = x[r * d + i], hi = recon[r * d + i];
                    e += (xi - hi) * (xi - hi); xx += xi * xi; hh += hi * hi; xh += xi * hi;
                    sum[i] += xi; sumSq[i] += xi * xi;
                }
                sqErr += e;
                cos += xh / Math.Max(Math.Sqrt(xx * hh), 1e-30);
                var idx = acts.RowIndices(r); var val = acts.RowValues(r);
                for (int i = 0; i < idx.Length; i++) if (val[i] > 0) { fires[idx[i]]++; l0++; }
            }
            tokens += rows;
        }
        if (tokens == 0) throw new InvalidOperationException("SAE evaluation: the activation source yielded no tokens");
        double totalVar = 0;
        for (int i = 0; i < d; i++) totalVar += sumSq[i] - sum[i] * sum[i] / tokens;
        var density = fires.Select(f => (double)f / tokens).ToArray();
        var alive = density.Where(p => p > 0).ToArray();
        return new SaeMetrics(tokens, sqErr / tokens / d, 1 - sqErr / totalVar, l0 / tokens,
            (double)(density.Length - alive.Length) / density.Length,
            alive.Length == 0 ? double.NegativeInfinity : alive.Average(Math.Log10), cos / tokens, density);
    }
}
