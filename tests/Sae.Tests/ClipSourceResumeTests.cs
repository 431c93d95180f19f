using Actors.Sae.Architectures;
using Actors.Sae.Sources;
using Actors.Sae.Training;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.Sae.Tests;

/// <summary>Training on CLIP activations over images of which some do not decode, stopped, checkpointed and resumed
/// with a fresh model and source (as another process would), ends bit-identical to an uninterrupted run.</summary>
public sealed class ClipSourceResumeTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "sae-clip-resume-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    /// <summary>24 small random images; every fifth cannot be read (null), so windows hold fewer rows than full ones.</summary>
    sealed class Images : IImageSequence
    {
        public int Count => 24;
        public RgbImage? Get(int index)
        {
            if (index % 5 == 3) return null;
            var rng = new Random(index);
            var px = new byte[20 * 18 * 3];
            rng.NextBytes(px);
            return new RgbImage(20, 18, px);
        }
    }

    static ClipActivationSource Source(SaeHookSpec hook)
    {
        var model = new ClipModel(new CpuBackend(), RandomClipModel.Generate(RandomClipModel.Preset("tiny"), 5));
        return new ClipActivationSource(model.Vision, new ClipPreprocessor(model.Config.Vision.ImageSize), new Images(), hook, windowImages: 7, seed: 3);
    }

    [Fact]
    public void ARunOverImagesThatPartlyFailToDecodeResumesBitIdenticallyFromItsCheckpoint()
    {
        var hook = new SaeHookSpec(0, TokenSelection.All, "blocks.0.hook_resid_post");
        var config = new TopKSaeConfig(32, 64, 4) { Hook = hook };
        var training = new SaeTrainingConfig { BatchSize = 50, TotalTokens = 50 * 24, WarmupSteps = 3, DeadAfterTokens = 200, Seed = 2 };
        var straight = new SaeTrainer(config, training);
        straight.Train(Source(hook));

        var first = new SaeTrainer(config, training);
        first.Train(Source(hook), stopAfterSteps: 9);   // 450 rows: inside the third window of 7 images (≤ 119 rows each)
        first.SaveCheckpoint(dir);
        Assert.Equal(9, SaeTrainer.CheckpointStep(dir));
        var resumed = SaeTrainer.Resume(dir);
        resumed.Train(Source(hook));

        Assert.Equal(24, resumed.Step);
        Assert.Equal(straight.Sae.EncoderWeights, resumed.Sae.EncoderWeights);
        Assert.Equal(straight.Sae.DecoderWeights, resumed.Sae.DecoderWeights);
        Assert.Equal(straight.Sae.EncoderBias, resumed.Sae.EncoderBias);
        Assert.Equal(straight.Sae.DecoderBias, resumed.Sae.DecoderBias);
    }
}
