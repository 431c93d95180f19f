using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Evaluation;
using Actors.Vision.Tokenization;
using Actors.World;
using Actors.World.Evaluation;

namespace Actors.World.Tests.Evaluation;

public class ClipSpliceEvaluationTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("splice-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>W_enc = [I, −I], W_dec = [I; −I], no biases, k = d_sae: ReLU(x) − ReLU(−x) = x, an exact reconstruction.
    /// Both matrices are passed as (d_sae, d_in): the inference type keeps W_encᵀ.</summary>
    static SparseAutoencoder ExactSae(int d)
    {
        var enc = new float[d * 2 * d];
        var dec = new float[2 * d * d];
        for (int i = 0; i < d; i++)
        {
            enc[i * d + i] = 1; enc[(d + i) * d + i] = -1;
            dec[i * d + i] = 1; dec[(d + i) * d + i] = -1;
        }
        return SparseAutoencoder.Create(new TopKSaeConfig(d, 2 * d, 2 * d) { ApplyBDecToInput = false }, enc, new float[2 * d], dec, new float[d]);
    }

    ClipSpliceEvaluation Evaluation(out ClipModel model)
    {
        RandomClipModel.Write(dir, RandomClipModel.Preset("tiny"), seed: 5);
        model = ClipModel.Load(dir);
        var scenes = WorldSplits.Generate(WorldSplit.Test, 64, 3).Where(s => s.Factors.Word is null).Take(16).ToList();
        return new ClipSpliceEvaluation(model, ClipTokenizer.FromDirectory(dir), new ClipPreprocessor(model.Config.Vision.ImageSize), scenes, batch: 8);
    }

    [Fact]
    public void TheExactSaeReconstructsItsInput()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 5 * 32).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var xHat = ExactSae(32).Reconstruct(x, 5);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], xHat[i], 5);
    }

    [Fact]
    public void SplicingAnExactSaeLeavesLossAndAccuracyUnchangedWhileZeroAblationChangesThem()
    {
        var evaluation = Evaluation(out var model);
        var sae = ExactSae(model.Config.Vision.HiddenSize);
        var hook = new SaeHookSpec(0, TokenSelection.All, "blocks.0.hook_resid_post");
        var original = evaluation.Measure(sae, hook, HookEdit.None);
        var spliced = evaluation.Measure(sae, hook, HookEdit.SpliceSae);
        var zeroed = evaluation.Measure(sae, hook, HookEdit.ZeroAblate);
        Assert.Equal(original.Loss, spliced.Loss, 4);
        Assert.Equal(original.Accuracy, spliced.Accuracy);
        Assert.NotEqual(original.Loss, zeroed.Loss, 4);
    }

    [Fact]
    public void LossRecoveredOfAnExactSaeIsOne()
    {
        var evaluation = Evaluation(out var model);
        var result = evaluation.Run(ExactSae(model.Config.Vision.HiddenSize), new SaeHookSpec(0, TokenSelection.Patches, "blocks.0.hook_resid_post"));
        Assert.Equal(1.0, result.Fraction, 3);
    }

    [Fact]
    public void LossRecoveredOfAnExactSaeOnTheImageEmbeddingIsOne()
    {
        var evaluation = Evaluation(out var model);
        var result = evaluation.Run(ExactSae(model.Config.ProjectionDim), SaeHookSpec.ImageEmbeds);
        Assert.Equal(1.0, result.Fraction, 3);
    }
}
