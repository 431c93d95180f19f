using Actors.World.Training;

namespace Actors.World.Tests.Training;

public class ContrastiveLossTests
{
    static double ReferenceLoss(double[] img, double[] txt, double t, int b, int e) => ClipReference.InfoNce(img, txt, t, b, e);

    [Fact]
    public void LossAndGradientsMatchDoublePrecisionFiniteDifferences()
    {
        const int b = 5, e = 7; const float t = 1.3f;
        var rng = new Random(7);
        var img = Enumerable.Range(0, b * e).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var txt = Enumerable.Range(0, b * e).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var dImg = new float[b * e]; var dTxt = new float[b * e];
        var r = ContrastiveLoss.ForwardBackward(img, txt, t, b, e, dImg, dTxt, out float dt);

        double[] I = img.Select(v => (double)v).ToArray(), T = txt.Select(v => (double)v).ToArray();
        Assert.Equal(ReferenceLoss(I, T, t, b, e), r.Loss, 1e-5);
        const double h = 1e-5;
        double worst = 0;
        for (int i = 0; i < b * e; i++)
        {
            double saved = I[i];
            I[i] = saved + h; double up = ReferenceLoss(I, T, t, b, e);
            I[i] = saved - h; double down = ReferenceLoss(I, T, t, b, e);
            I[i] = saved;
            worst = Math.Max(worst, Math.Abs((up - down) / (2 * h) - dImg[i]));
            saved = T[i];
            T[i] = saved + h; up = ReferenceLoss(I, T, t, b, e);
            T[i] = saved - h; down = ReferenceLoss(I, T, t, b, e);
            T[i] = saved;
            worst = Math.Max(worst, Math.Abs((up - down) / (2 * h) - dTxt[i]));
        }
        double fdT = (ReferenceLoss(I, T, t + h, b, e) - ReferenceLoss(I, T, t - h, b, e)) / (2 * h);
        Assert.True(worst < 2e-5, $"max |analytic − finite difference| over features = {worst}");
        Assert.Equal(fdT, dt, 1e-5);
    }

    [Fact]
    public void PerfectlyAlignedFeaturesGiveFullInBatchAccuracy()
    {
        const int b = 4, e = 4;
        var eye = new float[b * e]; for (int i = 0; i < b; i++) eye[i * e + i] = 1;
        var r = ContrastiveLoss.ForwardBackward(eye, eye, MathF.Log(100), b, e, [], [], out _);
        Assert.Equal(1f, r.Accuracy);
        Assert.True(r.Loss < 1e-3, $"loss {r.Loss}");
    }
}

public class OptimiserTests
{
    [Fact]
    public void AdamWMatchesANaiveStepAndSkipsDecayOnUnmarkedTensors()
    {
        var layout = new ParameterLayout();
        layout.Add("w", [2, 3], decay: true);
        layout.Add("b", [3], decay: false);
        var rng = new Random(3);
        var p = Enumerable.Range(0, layout.Count).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var opt = new AdamW(layout.Count) { WeightDecay = 0.1f };
        double[] P = p.Select(v => (double)v).ToArray(), M = new double[p.Length], V = new double[p.Length];
        double b1 = 0.9, b2 = 0.98, eps = 1e-6, lr = 0.01;
        for (int step = 1; step <= 3; step++)
        {
            var g = Enumerable.Range(0, p.Length).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
            opt.Update(p, g, layout.Tensors, (float)lr);
            for (int i = 0; i < P.Length; i++)
            {
                bool decay = i < 6;
                M[i] = b1 * M[i] + (1 - b1) * g[i];
                V[i] = b2 * V[i] + (1 - b2) * g[i] * g[i];
                double mh = M[i] / (1 - Math.Pow(b1, step)), vh = V[i] / (1 - Math.Pow(b2, step));
                if (decay) P[i] -= lr * 0.1 * P[i];
                P[i] -= lr * mh / (Math.Sqrt(vh) + eps);
            }
        }
        for (int i = 0; i < P.Length; i++) Assert.Equal(P[i], p[i], 1e-5);
        Assert.Equal(3, opt.Step);
    }

    [Fact]
    public void ScheduleWarmsUpLinearlyThenFollowsAHalfCosine()
    {
        var s = new LearningRateSchedule(PeakRate: 1e-3f, WarmupSteps: 10, TotalSteps: 110, MinRate: 1e-5f);
        Assert.Equal(1e-4f, s.At(0), 1e-9f);
        Assert.Equal(1e-3f, s.At(9), 1e-9f);
        Assert.Equal(1e-3f, s.At(10), 1e-9f);
        Assert.Equal(1e-5 + 0.5 * (1e-3 - 1e-5), s.At(60), 1e-8);
        Assert.Equal(1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.Cos(Math.PI * 0.25)), s.At(35), 1e-8);
        Assert.Equal(1e-5f, s.At(110), 1e-9f);
    }

    [Fact]
    public void AScheduleStartingLaterIsTheSameScheduleShifted()
    {
        var fresh = new LearningRateSchedule(PeakRate: 1e-3f, WarmupSteps: 10, TotalSteps: 110, MinRate: 1e-5f);
        var fineTune = fresh with { TotalSteps = 1110, StartStep = 1000 };
        foreach (int step in new[] { 0, 5, 9, 10, 35, 60, 109, 110, 200 })
            Assert.Equal(fresh.At(step), fineTune.At(1000 + step));
        Assert.Equal(fresh.At(0), fineTune.At(999));
        var options = new ClipTrainingOptions(Steps: 1110, Batch: 8, Seed: 1, PeakLearningRate: 1e-3f, WarmupSteps: 10, MinLearningRate: 1e-5f, ScheduleFrom: 1000);
        Assert.Equal(fineTune, options.Schedule);
    }

    [Fact]
    public void ClippingScalesTheGlobalNormDownToTheLimitAndLeavesSmallGradientsAlone()
    {
        var g = new float[] { 3, 4, 0, 12 };                    // norm 13
        Assert.Equal(13f, GradientClipping.ClipGlobalNorm(g, 1f), 1e-5f);
        float[] expected = [3 / 13f, 4 / 13f, 0f, 12 / 13f];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], g[i], 1e-6f);
        var small = new float[] { 0.3f, 0.4f };
        Assert.Equal(0.5f, GradientClipping.ClipGlobalNorm(small, 1f), 1e-6f);
        Assert.Equal(new[] { 0.3f, 0.4f }, small);
    }
}
