using Actors.Vision.Clip;
using Actors.Sae.Architectures;
using Actors.Tensors.Backends;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

public class ArchitectureTests
{
    /// <summary>Independent dense forward in double: pre = (x·s − b_dec)·W_enc + b_enc, activation, x̂ = a·W_dec + b_dec, /s.</summary>
    static (double[] Acts, double[] Recon) NaiveForward(SparseAutoencoder sae, float[] x, int rows)
    {
        int d = sae.DIn, m = sae.DSae; double s = sae.Config.ActivationScale;
        var acts = new double[rows * m]; var recon = new double[rows * d];
        for (int r = 0; r < rows; r++)
        {
            var pre = new double[m];
            for (int j = 0; j < m; j++)
            {
                double sum = sae.EncoderBias[j];
                for (int i = 0; i < d; i++)
                {
                    double xin = x[r * d + i] * s - (sae.Config.ApplyBDecToInput ? sae.DecoderBias[i] : 0);
                    sum += xin * sae.EncoderWeights[j * d + i];
                }
                pre[j] = sum;
            }
            switch (sae)
            {
                case TopKSae t:
                    var order = Enumerable.Range(0, m).OrderByDescending(j => pre[j]).ThenBy(j => j).Take(t.K);
                    foreach (var j in order) acts[r * m + j] = Math.Max(0, pre[j]);
                    break;
                case JumpReluSae jr:
                    for (int j = 0; j < m; j++) acts[r * m + j] = pre[j] > 0 && pre[j] > jr.Threshold[j] ? pre[j] : 0;
                    break;
                default:
                    for (int j = 0; j < m; j++) acts[r * m + j] = Math.Max(0, pre[j]);
                    break;
            }
            for (int i = 0; i < d; i++)
            {
                double sum = sae.DecoderBias[i];
                for (int j = 0; j < m; j++) sum += acts[r * m + j] * sae.DecoderWeights[j * d + i];
                recon[r * d + i] = sum / s;
            }
        }
        return (acts, recon);
    }

    [Theory]
    [MemberData(nameof(Architectures), MemberType = typeof(SaeTestBuilders))]
    public void EncodeAndDecodeMatchANaiveDenseForwardForEveryArchitecture(SaeArchitecture arch)
    {
        foreach (var (preCenter, scale) in new[] { (true, 1f), (false, 1f), (true, 2.5f) })
        {
            var sae = RandomSae(Config(arch, 12, 40, k: 5, preCenter, scale), 7);
            int rows = SparseAutoencoder.ChunkRows + 76; // more than one encoder chunk
            var x = RandomRows(rows, 12, 3);
            var (acts, recon) = NaiveForward(sae, x, rows);
            var sparse = sae.Encode(x, rows);
            AssertClose(acts.Select(v => (float)v).ToArray(), sparse.ToDense(), 1e-4, 1e-4, $"{arch} activations");
            AssertClose(recon.Select(v => (float)v).ToArray(), sae.Decode(sparse), 1e-4, 1e-4, $"{arch} reconstruction");
            var error = sae.Error(x, rows);
            for (int i = 0; i < error.Length; i++) Assert.Equal(x[i] - (float)recon[i], error[i], 1e-3f);
            if (arch == SaeArchitecture.TopK)
                for (int r = 0; r < rows; r++) Assert.Equal(5, sparse.RowIndices(r).Length);
            else
                Assert.All(sparse.Values, v => Assert.True(v > 0));
        }
    }

    [Fact]
    public void AnSaeEncodingBatchesOfOtherSizesAndFromSeveralThreadsGivesEachItsOwnActivations()
    {
        // The dense pre-activation buffer outlives a call: a large batch, then a small one, then concurrent calls
        // must each see only their own rows (compared with a twin SAE that has never encoded anything).
        var sae = RandomSae(Config(SaeArchitecture.TopK, 12, 40, k: 5, true, 1f), 7);
        SparseActivations Fresh(float[] x, int rows) => RandomSae(Config(SaeArchitecture.TopK, 12, 40, k: 5, true, 1f), 7).Encode(x, rows);
        var sizes = new[] { SparseAutoencoder.ChunkRows + 5, 3, 700, 1, 64, 2000, 17, 300 };
        var inputs = sizes.Select((rows, i) => RandomRows(rows, 12, 20 + i)).ToArray();
        for (int i = 0; i < 2; i++)
            Assert.Equal(Fresh(inputs[i], sizes[i]).ToDense(), sae.Encode(inputs[i], sizes[i]).ToDense());
        var concurrent = new SparseActivations[sizes.Length];
        Parallel.For(0, sizes.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = sae.Encode(inputs[i], sizes[i]));
        for (int i = 0; i < sizes.Length; i++) Assert.Equal(Fresh(inputs[i], sizes[i]).ToDense(), concurrent[i].ToDense());
    }

    [Fact]
    public void FusedTopKSelectionMatchesAFullSortOnManySizesIncludingTies()
    {
        var rng = new Random(5);
        foreach (int n in new[] { 1, 7, 8, 9, 31, 64, 65, 1000, 4099 })
            foreach (int k in new[] { 1, 3, 8, 64 })
            {
                var pre = new float[n]; var bias = new float[n];
                for (int i = 0; i < n; i++) { pre[i] = rng.Next(-20, 20) * 0.25f; bias[i] = rng.Next(-2, 2) * 0.25f; } // many ties
                int kk = Math.Min(k, n);
                var (i1, v1, i2, v2) = (new int[kk], new float[kk], new int[kk], new float[kk]);
                Assert.Equal(kk, TopKSelection.SelectRow(pre, bias, k, i1, v1));
                TopKSelection.SelectRowNaive(pre, bias, k, i2, v2);
                Assert.Equal(i2, i1); Assert.Equal(v2, v1);
            }
    }

    [Fact]
    public void SelectionAmongCandidatesOnlyPicksCandidates()
    {
        var pre = RandomRows(1, 50, 9); var bias = new float[50];
        int[] candidates = [1, 4, 9, 16, 25, 36, 49];
        var idx = new int[3]; var val = new float[3];
        TopKSelection.SelectRowAmong(pre, bias, candidates, 3, idx, val);
        var expected = candidates.OrderByDescending(c => pre[c]).Take(3).ToArray();
        Assert.Equal(expected, idx);
    }

    [Fact]
    public void WrongWeightShapesAreRejectedNamingTheTensor()
    {
        var cfg = new TopKSaeConfig(4, 8, 2);
        var ex = Assert.Throws<ArgumentException>(() => new TopKSae(cfg, new float[32], new float[8], new float[31], new float[4]));
        Assert.Contains("W_dec", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TopKSae(cfg with { K = 9 }, new float[32], new float[8], new float[32], new float[4]));
        Assert.Contains("k = 9", ex.Message);
        var sae = SparseAutoencoder.CreateRandom(cfg, 1);
        Assert.Throws<ArgumentException>(() => sae.Encode(new float[7], 2));
    }

    [Fact]
    public void HookSelectsClsPatchesOrAllTokensAndScattersBack()
    {
        int batch = 2, tokens = 3, dim = 2;
        var residual = Enumerable.Range(0, batch * tokens * dim).Select(i => (float)i).ToArray();
        Assert.Equal(new float[] { 0, 1, 6, 7 }, new SaeHookSpec(3, TokenSelection.Cls, "h").SelectRows(residual, batch, tokens, dim));
        var patches = new SaeHookSpec(3, TokenSelection.Patches, "h");
        Assert.Equal(new float[] { 2, 3, 4, 5, 8, 9, 10, 11 }, patches.SelectRows(residual, batch, tokens, dim));
        Assert.Equal(residual, new SaeHookSpec(3, TokenSelection.All, "h").SelectRows(residual, batch, tokens, dim));
        var copy = new float[residual.Length];
        patches.ScatterRows(patches.SelectRows(residual, batch, tokens, dim), copy, batch, tokens, dim);
        Assert.Equal(new float[] { 0, 0, 2, 3, 4, 5, 0, 0, 8, 9, 10, 11 }, copy);
    }

    [Theory]
    [InlineData(TokenSelection.Cls)]
    [InlineData(TokenSelection.Patches)]
    [InlineData(TokenSelection.All)]
    public void HookReadsTheSelectedRowsOfTheResidualAtItsLayer(TokenSelection tokens)
    {
        var config = RandomClipModel.Preset("tiny");
        var vision = new ClipModel(new CpuBackend(), RandomClipModel.Generate(config, seed: 3)).Vision;
        var rng = new Random(4);
        const int batch = 3;
        var pixels = Enumerable.Range(0, batch * vision.PixelsPerImage).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var hook = new SaeHookSpec(1, tokens, "h");
        var expected = hook.SelectRows(vision.ResidualAfter(pixels, batch, 1), batch, config.Vision.Tokens, config.Vision.HiddenSize);
        var actual = hook.Read(vision, pixels, batch);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"row value {i}: {actual[i]} vs {expected[i]}");
    }
}
