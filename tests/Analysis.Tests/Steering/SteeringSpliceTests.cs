using Actors.Analysis.Steering;
using Actors.Sae;
using Actors.Sae.Architectures;
using Xunit.Abstractions;
using static Actors.Analysis.Tests.AnalysisTestBuilders;

namespace Actors.Analysis.Tests.Steering;

public class SteeringSpliceTests(ITestOutputHelper output)
{
    static SaeHookSpec[] OneRowHooks => [Residual(1, TokenSelection.Cls), SaeHookSpec.ImageEmbeds];

    /// <summary>The hooked rows as the full forward sees them (a class-token Read runs its last block for the class
    /// token alone, which can differ from the full block in the last bit).</summary>
    static (SteeredForward Forward, float[] Rows) Setup(TinySetup s, SaeHookSpec hook, int seed, float scale = 1f)
    {
        var sae = AnalysisTestBuilders.Sae(hook.RowWidth(s.Vision), 48, 6, seed, scale);
        float[] rows = [];
        hook.EncodeEdited(s.Vision, s.Pixels, 1, (h, _) => rows = h);
        return (new SteeredForward(s.Vision, sae, hook), rows);
    }

    [Fact]
    public void SettingALatentToItsCurrentActivationReproducesTheUnsteeredEmbeddingBitForBit()
    {
        var s = Tiny(101);
        foreach (var hook in OneRowHooks)
        {
            var (forward, rows) = Setup(s, hook, 102);
            var a = forward.Sae.Encode(rows, 1);
            int active = a.RowIndices(0)[0], inactive = Enumerable.Range(0, 48).First(j => !a.RowIndices(0).Contains(j));
            var splice = new SteeringSplice(forward.Sae, [
                new LatentIntervention(active, SteeringOp.Set, a.RowValues(0)[0]),
                new LatentIntervention(inactive, SteeringOp.Set, 0f),
                new LatentIntervention(a.RowIndices(0)[1], SteeringOp.Scale, 1f),
                new LatentIntervention(a.RowIndices(0)[2], SteeringOp.Add, 0f)]);
            var unsteered = forward.Unsteered(s.Pixels, 1);
            var steered = forward.Steered(s.Pixels, 1, splice);
            output.WriteLine($"{hook.HookName}: latent {active} set to its activation {a.RowValues(0)[0]}: max |diff| {MaxDiff(unsteered, steered)}");
            Assert.Equal(unsteered, steered);
        }
    }

    [Fact]
    public void ScaleOneAndAddZeroOnEveryTokenOfTwoImagesReproduceTheUnsteeredEmbeddingsBitForBit()
    {
        var s = Tiny(103);
        var hook = Residual(1, TokenSelection.All);
        var sae = AnalysisTestBuilders.Sae(hook.RowWidth(s.Vision), 48, 6, 104);
        var forward = new SteeredForward(s.Vision, sae, hook);
        var pixels = s.Pixels.Concat(s.Pixels.Select(p => -0.5f * p)).ToArray();
        var splice = new SteeringSplice(sae, [.. Enumerable.Range(0, 48).Select(j => new LatentIntervention(j, j % 2 == 0 ? SteeringOp.Scale : SteeringOp.Add, j % 2 == 0 ? 1f : 0f))]);
        var unsteered = forward.Unsteered(pixels, 2);
        Assert.Equal(unsteered, forward.Steered(pixels, 2, splice));
        Assert.Equal(unsteered, forward.Steered(pixels, 2, new SteeringSplice(sae, [])));
    }

    [Fact]
    public void SteeredRowsAreTheDecodedEditedCodePlusTheErrorTerm()
    {
        var s = Tiny(105);
        foreach (float scale in new[] { 1f, 2.5f })
        {
            var hook = Residual(1, TokenSelection.All);
            var sae = AnalysisTestBuilders.Sae(hook.RowWidth(s.Vision), 48, 6, 106, scale);
            var rows = hook.Read(s.Vision, s.Pixels, 1);
            int count = rows.Length / sae.DIn;
            LatentIntervention[] edits = [new(3, SteeringOp.Set, 4f), new(3, SteeringOp.Scale, 0.5f), new(7, SteeringOp.Add, -1.5f),
                new(11, SteeringOp.Scale, 3f), new(20, SteeringOp.Set, 0f)];
            var steered = new SteeringSplice(sae, edits).Apply(rows, count);

            // Naive double reference: dense a, a' = edits in order, h' = decode(a') + (h − decode(a)).
            var a = sae.Encode(rows, count).ToDense().ToDouble();
            var edited = (double[])a.Clone();
            for (int r = 0; r < count; r++)
                foreach (var e in edits)
                {
                    ref double v = ref edited[r * 48 + e.Latent];
                    v = e.Op switch { SteeringOp.Set => e.Value, SteeringOp.Scale => v * e.Value, _ => v + e.Value };
                }
            var expected = new double[rows.Length];
            for (int r = 0; r < count; r++)
                for (int i = 0; i < sae.DIn; i++)
                {
                    double after = sae.DecoderBias[i], before = sae.DecoderBias[i];
                    for (int j = 0; j < 48; j++)
                    {
                        after += edited[r * 48 + j] * sae.DecoderWeights[j * sae.DIn + i];
                        before += a[r * 48 + j] * sae.DecoderWeights[j * sae.DIn + i];
                    }
                    expected[r * sae.DIn + i] = after / scale + (rows[r * sae.DIn + i] - before / scale);
                }
            AssertClose(output, $"h' at activation scale {scale}", expected, steered.ToDouble(), 1e-6);
        }
    }

    [Fact]
    public void ASteeredForwardContinuesFromTheSteeredRowsAtTheHook()
    {
        var s = Tiny(107);
        var hook = Residual(0, TokenSelection.Patches);
        var sae = AnalysisTestBuilders.Sae(hook.RowWidth(s.Vision), 48, 6, 108);
        var splice = new SteeringSplice(sae, [new LatentIntervention(5, SteeringOp.Set, 6f)]);
        var steered = new SteeredForward(s.Vision, sae, hook).Steered(s.Pixels, 1, splice);
        var direct = hook.EncodeEdited(s.Vision, s.Pixels, 1, (rows, count) => splice.Apply(rows, count));
        Assert.Equal(direct, steered);
        double moved = MaxDiff(steered, s.Vision.Encode(s.Pixels, 1));
        output.WriteLine($"setting latent 5 to 6 on every patch moves the embedding by up to {moved:G3}");
        Assert.True(moved > 1e-3);
    }

    [Fact]
    public void InterventionsApplyTheirOpAndParseOnlyTheirNames()
    {
        Assert.Equal(5f, new LatentIntervention(0, SteeringOp.Set, 5f).Apply(2f));
        Assert.Equal(6f, new LatentIntervention(0, SteeringOp.Scale, 3f).Apply(2f));
        Assert.Equal(-1f, new LatentIntervention(0, SteeringOp.Add, -3f).Apply(2f));
        Assert.True(LatentIntervention.TryParseOp("SCALE", out var op) && op == SteeringOp.Scale);
        foreach (var bad in new[] { "1", "set,scale", "multiply", "", null })
            Assert.False(LatentIntervention.TryParseOp(bad, out _));
        var sae = SparseAutoencoder.CreateRandom(new TopKSaeConfig(4, 8, 2), 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SteeringSplice(sae, [new LatentIntervention(8, SteeringOp.Set, 1f)]));
        Assert.Throws<ArgumentException>(() => new SteeringSplice(sae, [new LatentIntervention(1, SteeringOp.Add, float.NaN)]));
    }

    [Fact]
    public void ImageActivationsAverageEachImagesHookedRows()
    {
        var s = Tiny(109);
        var hook = Residual(1, TokenSelection.All);
        var sae = AnalysisTestBuilders.Sae(hook.RowWidth(s.Vision), 48, 6, 110);
        var pixels = s.Pixels.Concat(s.Pixels.Select(p => 0.7f * p + 0.1f)).ToArray();
        var sums = new double[48];
        new SteeredForward(s.Vision, sae, hook).AddImageActivations(pixels, 2, sums);
        var rows = hook.Read(s.Vision, pixels, 2);
        int perImage = rows.Length / 2 / sae.DIn;
        var dense = sae.Encode(rows, 2 * perImage).ToDense();
        var expected = new double[48];
        for (int image = 0; image < 2; image++)
            for (int j = 0; j < 48; j++)
                expected[j] += Enumerable.Range(0, perImage).Average(t => (double)dense[(image * perImage + t) * 48 + j]);
        AssertClose(output, "Σ_x f_j(x)", expected, sums, 1e-9);
    }

    static double MaxDiff(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
}
