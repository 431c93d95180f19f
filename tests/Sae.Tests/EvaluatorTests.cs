using Actors.Sae.Architectures;
using Actors.Sae.Evaluation;
using Actors.Sae.Training;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

public class EvaluatorTests
{
    [Fact]
    public void MetricsMatchANaiveComputationOverDenseActivations()
    {
        var sae = RandomSae(Config(SaeArchitecture.Standard, 8, 30), 3);
        int rows = 50; var x = RandomRows(rows, 8, 4);
        var m = SaeEvaluator.Evaluate(sae, new ArrayActivationSource(x, 8), long.MaxValue, batchSize: 16);
        var acts = sae.Encode(x, rows).ToDense(); var recon = sae.Reconstruct(x, rows);
        double se = 0, cos = 0, l0 = 0; var mean = new double[8];
        for (int r = 0; r < rows; r++) for (int i = 0; i < 8; i++) mean[i] += x[r * 8 + i] / (double)rows;
        double var = 0;
        for (int r = 0; r < rows; r++)
        {
            double xx = 0, hh = 0, xh = 0;
            for (int i = 0; i < 8; i++)
            {
                double a = x[r * 8 + i], b = recon[r * 8 + i];
                se += (a - b) * (a - b); var += (a - mean[i]) * (a - mean[i]); xx += a * a; hh += b * b; xh += a * b;
            }
            cos += xh / Math.Sqrt(xx * hh);
            for (int j = 0; j < 30; j++) if (acts[r * 30 + j] > 0) l0++;
        }
        var density = Enumerable.Range(0, 30).Select(j => Enumerable.Range(0, rows).Count(r => acts[r * 30 + j] > 0) / (double)rows).ToArray();
        Assert.Equal(50, m.Tokens);
        Assert.Equal(se / rows / 8, m.Mse, 6);
        Assert.Equal(1 - se / var, m.ExplainedVariance, 5);
        Assert.Equal(l0 / rows, m.MeanL0, 9);
        Assert.Equal(cos / rows, m.MeanCosineSimilarity, 6);
        Assert.Equal(density.Count(p => p == 0) / 30.0, m.DeadFraction, 9);
        Assert.Equal(density.Where(p => p > 0).Average(Math.Log10), m.MeanLog10FeatureDensity, 9);
    }

    /// <summary>A real downstream model: a linear probe (classes × d) with softmax cross-entropy over hook activations.</summary>
    [Fact]
    public void LossRecoveredRunsALinearProbeUnderEachEdit()
    {
        int d = 8, classes = 3, n = 40;
        var source = new PlantedFeatureSource(d, 12, 2, seed: 4, offsetNorm: 2f);
        var x = new float[n * d]; source.Read(x, n);
        var probe = RandomRows(classes, d, 7);
        var labels = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, classes).MaxBy(c => Enumerable.Range(0, d).Sum(i => probe[c * d + i] * x[r * d + i]))).ToArray();
        var trainer = new SaeTrainer(new TopKSaeConfig(d, 24, 2), new SaeTrainingConfig { BatchSize = 40, TotalTokens = 40 * 60, LearningRate = 1e-2f, WarmupSteps = 1, Seed = 2 });
        trainer.Train(new PlantedFeatureSource(d, 12, 2, seed: 4, offsetNorm: 2f));
        var sae = trainer.Sae;

        DownstreamMetrics Run(HookEdit edit)
        {
            var h = edit switch { HookEdit.SpliceSae => sae.Reconstruct(x, n), HookEdit.ZeroAblate => new float[n * d], _ => x };
            double loss = 0; int correct = 0;
            for (int r = 0; r < n; r++)
            {
                var logits = Enumerable.Range(0, classes).Select(c => Enumerable.Range(0, d).Sum(i => (double)probe[c * d + i] * h[r * d + i])).ToArray();
                double max = logits.Max(), lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                loss += lse - logits[labels[r]];
                if (Array.IndexOf(logits, max) == labels[r]) correct++;
            }
            return new DownstreamMetrics(loss / n, (double)correct / n);
        }
        var result = DownstreamEvaluation.Compute(Run);
        Assert.Equal(1.0, result.Original.Accuracy);
        Assert.Equal(Math.Log(3), result.ZeroAblation.Loss, 9); // all-zero logits
        Assert.Equal((result.ZeroAblation.Loss - result.Sae.Loss) / (result.ZeroAblation.Loss - result.Original.Loss), result.Fraction, 12);
        Assert.InRange(result.Fraction, 0.5, 1.01); // a trained SAE recovers most of the probe's loss
        Assert.Throws<InvalidOperationException>(() => DownstreamEvaluation.Compute(_ => new DownstreamMetrics(1, 1)));
    }
}
