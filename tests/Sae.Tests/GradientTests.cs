using Actors.Sae.Architectures;
using Actors.Sae.Training;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

public class GradientTests
{
    public static IEnumerable<object[]> Cases() =>
    [
        [SaeArchitecture.TopK, ReconstructionLoss.Mse, 0f, 6, true],
        [SaeArchitecture.TopK, ReconstructionLoss.NormalisedMse, 0f, 6, false],
        [SaeArchitecture.TopK, ReconstructionLoss.Mse, 0f, 0, false],
        [SaeArchitecture.Standard, ReconstructionLoss.Mse, 0.05f, 0, true],
        [SaeArchitecture.Standard, ReconstructionLoss.NormalisedMse, 0.01f, 0, true],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientsMatchCentralFiniteDifferences(SaeArchitecture arch, ReconstructionLoss loss, float l1, int auxK, bool preCenter)
    {
        int dIn = 6, dSae = 24, rows = 7;
        var sae = RandomSae(Config(arch, dIn, dSae, k: 4, preCenter), 21);
        var x = RandomRows(rows, dIn, 5);
        var options = new SaeLossOptions(loss, l1, auxK, AuxKCoefficient: 0.5f);
        int[] dead = auxK > 0 ? Enumerable.Range(8, 16).ToArray() : [];
        var grads = new SaeGradients(dIn, dSae);
        var residual = sae.Error(x, rows); // AuxK's target is detached: hold it fixed for finite differences
        SaeObjective.Compute(sae, x, rows, options, dead, grads, residual);
        var (gEnc, gBEnc, gDec) = grads.Dense();
        var gBDec = (float[])grads.DecoderBias.Clone();
        double Loss() => SaeObjective.Compute(sae, x, rows, options, dead, new SaeGradients(dIn, dSae), residual).Loss;

        var rng = new Random(3);
        void Check(float[] param, float[] grad, string name)
        {
            const float h = 1e-3f;
            double worst = 0;
            for (int t = 0; t < Math.Min(40, param.Length); t++)
            {
                int i = param.Length <= 40 ? t : rng.Next(param.Length);
                float keep = param[i];
                param[i] = keep + h; double up = Loss();
                param[i] = keep - h; double down = Loss();
                param[i] = keep;
                double fd = (up - down) / (2 * h);
                double err = Math.Abs(fd - grad[i]) / (Math.Abs(fd) + Math.Abs(grad[i]) + 1e-2);
                worst = Math.Max(worst, err);
                Assert.True(err < 0.03, $"{arch}/{loss} {name}[{i}]: analytic {grad[i]:G5} vs finite difference {fd:G5}");
            }
        }
        Check(sae.EncoderWeights, gEnc, "W_enc");
        Check(sae.EncoderBias, gBEnc, "b_enc");
        Check(sae.DecoderWeights, gDec, "W_dec");
        Check(sae.DecoderBias, gBDec, "b_dec");
    }

    [Fact]
    public void AuxKTermIsPresentOnlyWithDeadLatentsAndAddsToTheLoss()
    {
        var sae = RandomSae(Config(SaeArchitecture.TopK, 6, 24, k: 4), 2);
        var x = RandomRows(5, 6, 1);
        var withDead = SaeObjective.Compute(sae, x, 5, new SaeLossOptions(AuxK: 3), [1, 2, 3, 4, 5, 6, 7, 8], new SaeGradients(6, 24));
        var noDead = SaeObjective.Compute(sae, x, 5, new SaeLossOptions(AuxK: 3), [], new SaeGradients(6, 24));
        Assert.True(withDead.AuxK > 0);
        Assert.Equal(0, noDead.AuxK);
        Assert.Equal(noDead.Reconstruction, withDead.Reconstruction, 6);
    }

    [Fact]
    public void ParallelDecoderGradientIsRemoved()
    {
        var sae = RandomSae(Config(SaeArchitecture.TopK, 6, 24, k: 4), 2);
        var grads = new SaeGradients(6, 24);
        SaeObjective.Compute(sae, RandomRows(5, 6, 1), 5, new SaeLossOptions(), [], grads);
        SaeObjective.RemoveParallelDecoderGradient(sae, grads);
        for (int j = 0; j < 24; j++)
            if (grads.Touched[j])
                Assert.Equal(0, Enumerable.Range(0, 6).Sum(i => (double)grads.DecoderWeights[j * 6 + i] * sae.DecoderWeights[j * 6 + i]), 5);
    }

    [Fact]
    public void AdamMatchesTheTextbookUpdateWithAndWithoutGradient()
    {
        var p = new float[] { 1, -2, 3, 0.5f, 7, 8, 9, 10, 11 }; var m = new float[9]; var v = new float[9];
        var g = new float[] { 0.1f, -0.3f, 0.2f, 0, 1, 2, 3, 4, 5 };
        double[] pd = p.Select(a => (double)a).ToArray(), md = new double[9], vd = new double[9];
        for (int t = 1; t <= 3; t++)
        {
            var c = new AdamOptimizer.StepConstants(0.01f, 0.9f, 0.999f, 1e-8f, t);
            AdamOptimizer.Update(p, t == 3 ? [] : g, m, v, c);
            for (int i = 0; i < 9; i++)
            {
                double gi = t == 3 ? 0 : g[i];
                md[i] = 0.9 * md[i] + 0.1 * gi; vd[i] = 0.999 * vd[i] + 0.001 * gi * gi;
                pd[i] -= 0.01 * (md[i] / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(vd[i] / (1 - Math.Pow(0.999, t))) + 1e-8);
            }
        }
        AssertClose(pd.Select(a => (float)a).ToArray(), p, 1e-5, 1e-6, "Adam parameters");
    }

    [Fact]
    public void GeometricMedianSatisfiesItsOptimalityConditionAndResistsAnOutlier()
    {
        var pts = new float[] { 0, 0, 1, 0, 0, 1, 1, 1, 100, 100 };
        var gm = GeometricMedian.Compute(pts, 5, 2);
        // Σ (x_i − y)/‖x_i − y‖ = 0 at the geometric median.
        double sx = 0, sy = 0;
        for (int r = 0; r < 5; r++) { double dx = pts[2 * r] - gm[0], dy = pts[2 * r + 1] - gm[1], n = Math.Sqrt(dx * dx + dy * dy); sx += dx / n; sy += dy / n; }
        Assert.True(Math.Sqrt(sx * sx + sy * sy) < 1e-3);
        Assert.True(gm[0] < 1 && gm[1] < 1);
    }

    [Fact]
    public void ScheduleWarmsUpLinearlyHoldsAndDecaysToZero()
    {
        Assert.Equal(0.25f, LearningRateSchedule.At(0, 100, 1f, 4, 10));
        Assert.Equal(1f, LearningRateSchedule.At(3, 100, 1f, 4, 10));
        Assert.Equal(1f, LearningRateSchedule.At(50, 100, 1f, 4, 10));
        Assert.Equal(0.5f, LearningRateSchedule.At(95, 100, 1f, 4, 10));
        Assert.Equal(0.1f, LearningRateSchedule.At(99, 100, 1f, 4, 10), 6);
    }
}
