using Actors.Analysis.Evaluation.Probing;
using Actors.Tensors;
using static Actors.Analysis.Tests.Evaluation.EvaluationTestData;

namespace Actors.Analysis.Tests.Evaluation.Probing;

public class LogisticProbeTests
{
    /// <summary>Labels y = [w·x + offset + noise > 0] for x ~ N(0, I); w is a unit direction drawn from its own seed, so
    /// held-out samples (another sample seed) share it.</summary>
    private static (float[][] X, bool[] Y, double[] Direction) Planted(int n, int d, ulong seed, double noise, double offset = 0, ulong directionSeed = 50)
    {
        var directionRng = new SplitMix64(directionSeed);
        var rng = new SplitMix64(seed);
        var w = Enumerable.Range(0, d).Select(_ => Gaussian(directionRng)).ToArray();
        double norm = Math.Sqrt(w.Sum(v => v * v));
        for (int i = 0; i < d; i++) w[i] /= norm;
        var x = new float[n][]; var y = new bool[n];
        for (int s = 0; s < n; s++)
        {
            x[s] = Enumerable.Range(0, d).Select(_ => (float)Gaussian(rng)).ToArray();
            double z = offset;
            for (int i = 0; i < d; i++) z += w[i] * x[s][i];
            y[s] = z + noise * Gaussian(rng) > 0;
        }
        return (x, y, w);
    }

    [Fact]
    public void TheProbeRecoversAPlantedSeparatingDirection()
    {
        var (x, y, w) = Planted(3000, 16, 51, noise: 0.1, offset: 0.3);
        var probe = LogisticProbeTrainer.Train(x, y, new LogisticProbeOptions(L2: 1e-4));
        double dot = 0, norm = 0;
        for (int i = 0; i < 16; i++) { dot += probe.Weights[i] * w[i]; norm += probe.Weights[i] * probe.Weights[i]; }
        double cosine = dot / Math.Sqrt(norm);
        Assert.True(cosine > 0.99, $"cosine to the planted direction {cosine}");
        Assert.True(probe.Bias / Math.Sqrt(norm) > 0.15, $"bias over |w| {probe.Bias / Math.Sqrt(norm)} should approach the planted offset 0.3");
        Assert.True(probe.GradientNorm < 1e-9, $"gradient {probe.GradientNorm} after {probe.Iterations} iterations");

        var (xh, yh, wh) = Planted(1000, 16, 52, noise: 0.1, offset: 0.3);
        Assert.Equal(w, wh);
        var scores = probe.Scores(xh);
        double auc = Auroc.Compute(scores.Where((_, s) => yh[s]).ToArray(), scores.Where((_, s) => !yh[s]).ToArray());
        Assert.True(auc > 0.97, $"held-out AUROC {auc}");
    }

    [Fact]
    public void NewtonMatchesPlainGradientDescentOnTinyData()
    {
        var (x, y, _) = Planted(12, 3, 53, noise: 1.0);
        const double l2 = 0.1;
        var probe = LogisticProbeTrainer.Train(x, y, new LogisticProbeOptions(L2: l2, GradientTolerance: 1e-12));

        // Gradient descent on the same objective, written out, with step 0.5 (the objective is (max ‖[x; 1]‖²/4 + λ)-smooth).
        var theta = new double[4];
        for (int it = 0; it < 200_000; it++)
        {
            var g = new double[4];
            for (int s = 0; s < 12; s++)
            {
                double z = theta[3] + theta[0] * x[s][0] + theta[1] * x[s][1] + theta[2] * x[s][2];
                double r = 1 / (1 + Math.Exp(-z)) - (y[s] ? 1 : 0);
                for (int i = 0; i < 3; i++) g[i] += r * x[s][i] / 12;
                g[3] += r / 12;
            }
            for (int i = 0; i < 3; i++) g[i] += l2 * theta[i];
            for (int i = 0; i < 4; i++) theta[i] -= 0.5 * g[i];
        }
        AssertClose(theta[..3], probe.Weights, 1e-7, 1e-9, "weights");
        AssertClose(theta[3], probe.Bias, 1e-7, 1e-9, "bias");
    }

    [Fact]
    public void TrainingIsDeterministicAndRefusesOneClassOrNoPenalty()
    {
        var (x, y, _) = Planted(200, 8, 54, noise: 0.5);
        var a = LogisticProbeTrainer.Train(x, y);
        var b = LogisticProbeTrainer.Train(x, y);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
        Assert.Throws<ArgumentException>(() => LogisticProbeTrainer.Train(x, y.Select(_ => true).ToArray()));
        Assert.Throws<ArgumentException>(() => LogisticProbeTrainer.Train(x, y, new LogisticProbeOptions(L2: 0)));
    }
}
