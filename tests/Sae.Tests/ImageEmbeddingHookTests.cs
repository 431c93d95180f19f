using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Sae.Sources;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using static Actors.Sae.Tests.SaeTestBuilders;

namespace Actors.Sae.Tests;

/// <summary>The "image_embeds" hook: an SAE on CLIP's projected, unnormalised image embedding, one row per image.</summary>
public sealed class ImageEmbeddingHookTests : IDisposable
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "sae-embeds-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    static ClipVisionModel TinyVision(int seed) =>
        new ClipModel(new CpuBackend(), RandomClipModel.Generate(RandomClipModel.Preset("tiny"), seed)).Vision;

    static float[] RandomPixels(ClipVisionModel vision, int batch, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, batch * vision.PixelsPerImage).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void ImageEmbeddingHookReadsEachImagesUnnormalisedEmbeddingAsOneRow()
    {
        var vision = TinyVision(3);
        var pixels = RandomPixels(vision, 3, 4);
        var hook = SaeHookSpec.ImageEmbeds;
        Assert.Equal(1, hook.RowsPerSequence(vision.Config.Tokens));
        Assert.Equal(vision.ProjectionDim, hook.RowWidth(vision));
        var rows = hook.Read(vision, pixels, 3);
        Assert.Equal(vision.Encode(pixels, 3), rows);
        double norm = Math.Sqrt(rows.Take(vision.ProjectionDim).Sum(v => (double)v * v));
        Assert.True(Math.Abs(norm - 1) > 1e-3, $"the row is the raw projection, norm {norm}, not a unit vector");
    }

    [Fact]
    public void TokenRowsCannotBeSelectedFromTheImageEmbedding()
    {
        Assert.Throws<InvalidOperationException>(() => SaeHookSpec.ImageEmbeds.SelectRows(new float[12], 1, 3, 4));
    }

    [Fact]
    public void TheImageEmbedsNameDenotesTheEmbeddingHookWhateverLayerTheFileStates()
    {
        Assert.Equal(SaeHookSpec.ImageEmbeds, SaeHookSpec.FromName("image_embeds", layer: 11, TokenSelection.All));
        Assert.Equal(new SaeHookSpec(7, TokenSelection.All, "blocks.7.hook_resid_post"), SaeHookSpec.FromName("blocks.7.hook_resid_post"));
        var (config, _) = SaeLensFolder.ParseConfig("""
            {"d_in": 16, "d_sae": 64, "architecture": "topk", "k": 4, "metadata": {"hook_name": "image_embeds", "hook_layer": 11}}
            """, "cfg.json");
        Assert.Equal(SaeHookSpec.ImageEmbeds, config.Hook);
    }

    [Fact]
    public void AnImageEmbeddingSaeFolderReadsBackWithItsHook()
    {
        var sae = RandomSae(new TopKSaeConfig(16, 40, 3) { Hook = SaeHookSpec.ImageEmbeds }, 7);
        SaeLensFolder.Write(dir, sae);
        var back = SaeLensFolder.Read(dir);
        Assert.Equal(HookSite.ImageEmbedding, back.Config.Hook!.Site);
        Assert.Equal(SaeHookSpec.ImageEmbeds, back.Config.Hook);
    }

    [Fact]
    public void ActivationSourceOnTheImageEmbeddingServesOneEmbeddingRowPerImage()
    {
        var vision = TinyVision(5);
        var preprocessor = new ClipPreprocessor(vision.Config.ImageSize);
        var images = new Images(Enumerable.Range(0, 5).Select(i => Solid(vision.Config.ImageSize, (byte)(40 * i))).ToArray());
        var source = new ClipActivationSource(vision, preprocessor, images, SaeHookSpec.ImageEmbeds, windowImages: 5, seed: 1);
        Assert.Equal(vision.ProjectionDim, source.DIn);
        var rows = new float[5 * source.DIn];
        Assert.Equal(5, source.Read(rows, 5));
        var pixels = new float[5 * preprocessor.FloatsPerImage];
        for (int i = 0; i < 5; i++) preprocessor.Preprocess(images.Get(i)!, pixels.AsSpan(i * preprocessor.FloatsPerImage, preprocessor.FloatsPerImage));
        var expected = vision.Encode(pixels, 5);
        // The window is shuffled: every served row is one image's embedding, and every image is served once.
        var served = Enumerable.Range(0, 5).Select(r => rows.AsSpan(r * source.DIn, source.DIn).ToArray()).ToList();
        for (int i = 0; i < 5; i++)
            Assert.Single(served, row => row.Zip(expected.AsSpan(i * source.DIn, source.DIn).ToArray(), (a, b) => Math.Abs(a - b)).Max() < 1e-5f);
    }

    [Fact]
    public void AnSaeTrainsOnImageEmbeddingsAndItsFolderNamesTheHook()
    {
        var vision = TinyVision(9);
        var preprocessor = new ClipPreprocessor(vision.Config.ImageSize);
        var images = new Images(Enumerable.Range(0, 12).Select(i => Solid(vision.Config.ImageSize, (byte)(20 * i))).ToArray());
        var source = new ClipActivationSource(vision, preprocessor, images, SaeHookSpec.ImageEmbeds, windowImages: 12, seed: 2);
        var trainer = new Actors.Sae.Training.SaeTrainer(new TopKSaeConfig(source.DIn, 32, 4) { Hook = SaeHookSpec.ImageEmbeds },
            new Actors.Sae.Training.SaeTrainingConfig { BatchSize = 8, TotalTokens = 8 * 6, Seed = 3 });
        trainer.Train(source);
        Assert.Equal(6, trainer.Step);
        SaeLensFolder.Write(dir, trainer.Sae);
        var back = SaeLensFolder.Read(dir);
        Assert.Equal(SaeHookSpec.ImageEmbeds, back.Config.Hook);
        Assert.Equal(vision.ProjectionDim, back.DIn);
    }

    [Fact]
    public void SplicingEditsTheEmbeddingForTheEmbeddingHookAndTheStreamForAResidualHook()
    {
        var vision = TinyVision(6);
        var pixels = RandomPixels(vision, 2, 8);
        var plain = vision.Encode(pixels, 2);
        var identity = SaeHookSpec.ImageEmbeds.EncodeEdited(vision, pixels, 2, (rows, _) => rows);
        Assert.Equal(plain, identity);
        var doubled = SaeHookSpec.ImageEmbeds.EncodeEdited(vision, pixels, 2, (rows, _) => rows.Select(v => 2 * v).ToArray());
        AssertClose(plain.Select(v => 2 * v).ToArray(), doubled, 0, 0, "doubled embeddings");
        var residual = new SaeHookSpec(0, TokenSelection.Cls, "blocks.0.hook_resid_post");
        Assert.Equal(plain, residual.EncodeEdited(vision, pixels, 2, (rows, _) => rows));
        var zeroed = residual.EncodeEdited(vision, pixels, 2, (rows, count) => { Assert.Equal(2, count); return new float[rows.Length]; });
        Assert.NotEqual(plain, zeroed);
    }

    static RgbImage Solid(int size, byte value)
    {
        var pixels = new byte[size * size * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(value + i % 7 * 3);
        return new RgbImage(size, size, pixels);
    }

    sealed class Images(RgbImage[] items) : IImageSequence
    {
        public int Count => items.Length;
        public RgbImage? Get(int index) => items[index];
    }
}
