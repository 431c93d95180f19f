using Actors.Vision.Checkpoints;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

public sealed class SaeLensFolderTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "sae-lens-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    [Theory]
    [MemberData(nameof(Architectures), MemberType = typeof(SaeTestBuilders))]
    public void WrittenFolderReadsBackToTheSameSaeAndOutputs(SaeArchitecture arch)
    {
        var cfg = Config(arch, 6, 20, k: 3) with
        {
            Hook = new SaeHookSpec(10, TokenSelection.Patches, "blocks.10.hook_resid_post"),
            Metadata = new Dictionary<string, string> { ["model_name"] = "tiny-clip" },
        };
        var sae = RandomSae(cfg, 11);
        SaeLensFolder.Write(dir, sae);
        var back = SaeLensFolder.Read(dir);
        Assert.Equal(sae.Config.Architecture, back.Config.Architecture);
        Assert.Equal(sae.Config.Hook, back.Config.Hook);
        Assert.Equal("tiny-clip", back.Config.Metadata["model_name"]);
        Assert.Equal(sae.EncoderWeights, back.EncoderWeights);
        Assert.Equal(sae.DecoderWeights, back.DecoderWeights);
        var x = RandomRows(9, 6, 2);
        Assert.Equal(sae.Reconstruct(x, 9), back.Reconstruct(x, 9));
    }

    [Fact]
    public void WritingFoldsTheActivationScaleWithoutChangingOutputs()
    {
        var sae = RandomSae(Config(SaeArchitecture.TopK, 6, 20, k: 3, scale: 3f), 4);
        SaeLensFolder.Write(dir, sae);
        var back = SaeLensFolder.Read(dir);
        Assert.Equal(1f, back.Config.ActivationScale);
        var x = RandomRows(9, 6, 2);
        AssertClose(sae.Reconstruct(x, 9), back.Reconstruct(x, 9), 1e-5, 1e-5, "folded reconstruction");
    }

    [Fact]
    public void OlderFlatConfigWithActivationFnKwargsIsRead()
    {
        var (c, fold) = SaeLensFolder.ParseConfig("""
            {"d_in": 8, "d_sae": 32, "architecture": "standard", "activation_fn_str": "topk", "activation_fn_kwargs": {"k": 5},
             "hook_name": "blocks.7.hook_resid_post", "apply_b_dec_to_input": false, "rescale_acts_by_decoder_norm": true}
            """, "cfg.json");
        var t = Assert.IsType<TopKSaeConfig>(c);
        Assert.Equal(5, t.K); Assert.False(t.ApplyBDecToInput); Assert.True(fold);
        Assert.Equal(7, t.Hook!.Layer);
    }

    [Fact]
    public void MissingOrMisshapenTensorsAreNamedInTheError()
    {
        var sae = RandomSae(Config(SaeArchitecture.JumpRelu, 6, 20), 4);
        SaeLensFolder.Write(dir, sae);
        var weights = Path.Combine(dir, SaeLensFolder.WeightsFile);
        var tensors = SafeTensorsFile.Read(weights).Values.Where(t => t.Name != "threshold").ToList();
        SafeTensorsFile.Write(weights, tensors);
        var ex = Assert.Throws<SaeFormatException>(() => SaeLensFolder.Read(dir));
        Assert.Contains("'threshold'", ex.Message);
        tensors = tensors.Select(t => t.Name == "W_dec" ? NamedTensor.F32("W_dec", [6, 20], t.Data) : t).ToList();
        tensors.Add(NamedTensor.F32("threshold", [20], new float[20]));
        SafeTensorsFile.Write(weights, tensors);
        ex = Assert.Throws<SaeFormatException>(() => SaeLensFolder.Read(dir));
        Assert.Contains("'W_dec' has shape [6, 20], expected [20, 6]", ex.Message);
    }

    [Fact]
    public void RescaleByDecoderNormFoldsToTheSameFunction()
    {
        var sae = RandomSae(Config(SaeArchitecture.TopK, 6, 20, k: 3), 8);
        var rng = new Random(1);
        for (int j = 0; j < 20; j++) for (int i = 0; i < 6; i++) sae.DecoderWeights[j * 6 + i] *= 0.5f + j * 0.1f;
        // Reference with the SAELens semantics: pre·n_j before top-k, a/n_j when decoding.
        var x = RandomRows(5, 6, 3);
        var norms = Enumerable.Range(0, 20).Select(j => (float)Math.Sqrt(sae.DecoderWeights.Skip(j * 6).Take(6).Sum(v => (double)v * v))).ToArray();
        var input = sae.PrepareInput(x, 5);
        var expected = new float[30];
        for (int r = 0; r < 5; r++)
        {
            var pre = Enumerable.Range(0, 20).Select(j => (sae.EncoderBias[j] + Enumerable.Range(0, 6).Sum(i => input[r * 6 + i] * sae.EncoderWeights[j * 6 + i])) * norms[j]).ToArray();
            var top = Enumerable.Range(0, 20).OrderByDescending(j => pre[j]).Take(3);
            for (int i = 0; i < 6; i++) expected[r * 6 + i] = sae.DecoderBias[i];
            foreach (var j in top) for (int i = 0; i < 6; i++) expected[r * 6 + i] += Math.Max(0, pre[j]) / norms[j] * sae.DecoderWeights[j * 6 + i];
        }
        SaeLensFolder.FoldDecoderNorm(sae);
        AssertClose(expected, sae.Reconstruct(x, 5), 1e-4, 1e-4, "folded");
    }
}
