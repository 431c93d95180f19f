using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Xunit.Abstractions;
using static Actors.Vision.Tests.Clip.ClipTestData;

namespace Actors.Vision.Tests.Clip;

/// <summary>The backend CLIP forward against <see cref="ClipReference"/> on small random models.</summary>
public class ClipModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> Configs() => new() { "tiny", "odd-gelu" };

    static ClipConfig Config(string name) => name == "tiny" ? Tiny : OddGelu;

    [Theory, MemberData(nameof(Configs))]
    public void ImageEmbeddingsMatchThePlainReference(string name)
    {
        var weights = RandomClipModel.Generate(Config(name), seed: 11);
        var model = new ClipModel(new CpuBackend(), weights);
        var pixels = Pixels(weights.Config, batch: 3, seed: 5);
        var actual = model.Vision.Encode(pixels, 3);
        AssertClose(output, $"{name} image embeds", actual, ClipReference.From(weights).ImageEmbeds(pixels, 3), 1e-4);
    }

    [Theory, MemberData(nameof(Configs))]
    public void TextEmbeddingsMatchThePlainReferenceOverTheFullContext(string name)
    {
        var weights = RandomClipModel.Generate(Config(name), seed: 12);
        var model = new ClipModel(new CpuBackend(), weights);
        var ids = TokenRows(weights.Config, [0, 5, 9], seed: 6);
        var actual = model.Text.Encode(ids, 3);
        AssertClose(output, $"{name} text embeds", actual, ClipReference.From(weights).TextEmbeds(ids, 3), 1e-4);
    }

    [Fact]
    public void LogitsAreScaledCosinesAsInTheReference()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 13) with { LogitScale = 1.7f };
        var model = new ClipModel(new CpuBackend(), weights);
        var reference = ClipReference.From(weights);
        var pixels = Pixels(Tiny, 2, 7);
        var ids = TokenRows(Tiny, [1, 3, 4], 8);
        var logits = model.Logits(model.Vision.Encode(pixels, 2), model.Text.Encode(ids, 3));
        AssertClose(output, "logits", logits, reference.Logits(reference.ImageEmbeds(pixels, 2), reference.TextEmbeds(ids, 3)), 1e-3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ResidualAfterALayerMatchesTheReferenceForEveryToken(int layer)
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 14);
        var model = new ClipModel(new CpuBackend(), weights);
        var pixels = Pixels(Tiny, 2, 9);
        var residual = model.Vision.ResidualAfter(pixels, 2, layer);
        int per = model.Vision.PixelsPerImage;
        var reference = ClipReference.From(weights);
        var expected = Enumerable.Range(0, 2).SelectMany(b => reference.VisionResidual(pixels.AsSpan(b * per, per), layer)).ToArray();
        Assert.Equal(2 * Tiny.Vision.Tokens * Tiny.Vision.HiddenSize, residual.Length);
        AssertClose(output, $"residual after block {layer}", residual, expected, 1e-4);
    }

    [Theory]
    [InlineData("tiny", 0)]
    [InlineData("tiny", 1)]
    [InlineData("odd-gelu", 1)]
    public void ClassTokenResidualIsTheClassRowOfTheFullResidualAndOfTheReference(string name, int layer)
    {
        var config = Config(name);
        var weights = RandomClipModel.Generate(config, seed: 17);
        var model = new ClipModel(new CpuBackend(), weights);
        const int batch = 3;
        var pixels = Pixels(config, batch, 12);
        var classTokens = model.Vision.ClassTokenResidualAfter(pixels, batch, layer);
        int t = config.Vision.Tokens, w = config.Vision.HiddenSize, per = model.Vision.PixelsPerImage;
        var full = model.Vision.ResidualAfter(pixels, batch, layer);
        var reference = ClipReference.From(weights);
        var fromFull = Enumerable.Range(0, batch).Select(b => full.AsSpan(b * t * w, w).ToArray().Select(v => (double)v).ToArray()).ToArray();
        var fromReference = Enumerable.Range(0, batch).Select(b => reference.VisionResidual(pixels.AsSpan(b * per, per), layer)[0]).ToArray();
        AssertClose(output, $"{name} class tokens after block {layer} vs full forward", classTokens, fromFull, 1e-5);
        AssertClose(output, $"{name} class tokens after block {layer} vs reference", classTokens, fromReference, 1e-4);
        // The full forward after it is unaffected by the buffers the shortened block reused.
        Assert.Equal(full, model.Vision.ResidualAfter(pixels, batch, layer));
    }

    [Fact]
    public void HooksSeeTheSameResidualAsRunningToThatLayer()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 15);
        var model = new ClipModel(new CpuBackend(), weights);
        var pixels = Pixels(Tiny, 2, 10);
        float[]? seen = null;
        model.Vision.Encode(pixels, 2, (layer, r) => { if (layer == 0) seen = r.Values.ToArray(); });
        Assert.Equal(model.Vision.ResidualAfter(pixels, 2, 0), seen);
    }

    [Fact]
    public void ZeroingABlockOutputChangesEmbeddingsExactlyAsTheReferenceWithTheSameEdit()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 16);
        var model = new ClipModel(new CpuBackend(), weights);
        var pixels = Pixels(Tiny, 2, 11);
        // Ablate patch token 3 of image 1 and the class token of image 0 after block 0.
        var edited = model.Vision.Encode(pixels, 2, (layer, r) =>
        {
            if (layer != 0) return;
            r.Token(1, 3).Clear();
            r.Token(0, 0).Clear();
        });
        var expected = ClipReference.From(weights).ImageEmbeds(pixels, 2, (layer, image, x) =>
        {
            if (layer != 0) return;
            if (image == 1) Array.Clear(x[3]);
            if (image == 0) Array.Clear(x[0]);
        });
        AssertClose(output, "edited image embeds", edited, expected, 1e-4);
        var plain = model.Vision.Encode(pixels, 2);
        double change = MaxAbsDiff(plain, expected);
        output.WriteLine($"unedited vs edited reference: max |diff| = {change:E2}");
        Assert.True(change > 1e-2, "the edit must change the embeddings");
    }

    [Fact]
    public void BatchesGiveTheSameEmbeddingsAsSingleImages()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 17);
        var model = new ClipModel(new CpuBackend(), weights);
        var pixels = Pixels(Tiny, 4, 12);
        var batched = model.Vision.Encode(pixels, 4);
        int per = model.Vision.PixelsPerImage, d = Tiny.ProjectionDim;
        for (int b = 0; b < 4; b++)
        {
            var single = model.Vision.Encode(pixels.AsSpan(b * per, per), 1);
            for (int j = 0; j < d; j++) Assert.Equal(batched[b * d + j], single[j], 1e-4f);   // a tolerance, not rounding to 4 places, which fails across a rounding boundary
        }
    }

    [Fact]
    public void LegacyEosTokenIdTwoPoolsAtTheLargestId()
    {
        var config = Tiny with { Text = Tiny.Text with { EosTokenId = 2, Pooling = EotPooling.ArgMaxId } };
        var weights = RandomClipModel.Generate(config, seed: 18);
        var model = new ClipModel(new CpuBackend(), weights);
        int[] row = [TinyClipVocabulary.StartOfTextId, 2, 40, TinyClipVocabulary.EndOfTextId, 2, 0];
        Assert.Equal(3, model.Text.PoolingIndex(row));
        var firstEos = new ClipModel(new CpuBackend(), RandomClipModel.Generate(Tiny, 18));
        Assert.Equal(3, firstEos.Text.PoolingIndex(row));
        Assert.Equal(1, firstEos.Text.PoolingIndex([0, TinyClipVocabulary.EndOfTextId, TinyClipVocabulary.EndOfTextId]));
        Assert.Equal(EotPooling.ArgMaxId, ClipConfig.Parse(config.ToJson()).Text.Pooling);
    }

    [Fact]
    public void WrongPixelCountIsRejectedWithBothCounts()
    {
        var model = new ClipModel(new CpuBackend(), RandomClipModel.Generate(Tiny, 19));
        var ex = Assert.Throws<ArgumentException>(() => model.Vision.Encode(new float[100], 1));
        Assert.Contains("100", ex.Message);
        Assert.Contains("3072", ex.Message);
    }
}

public class ClipOnADeviceLikeBackendTests
{
    [Fact]
    public void HookEditsRoundTripThroughHostCopiesWhenTheBackendHasNoHostMemory()
    {
        var weights = RandomClipModel.Generate(Tiny, seed: 35);
        var pixels = Pixels(Tiny, 2, 36);
        static void Edit(int layer, ResidualStream r) { if (layer == 0) { r.Token(0, 2).Fill(0.5f); r.Token(1, 0).Clear(); } }
        var onCpu = new ClipModel(new CpuBackend(), weights).Vision.Encode(pixels, 2, Edit);
        var hostless = new HostlessBackend();
        var onDevice = new ClipModel(hostless, weights).Vision.Encode(pixels, 2, Edit);
        Assert.Equal(onCpu, onDevice);
        Assert.Equal(Tiny.Vision.Layers + 1, hostless.CopiesToHost);   // one per block for the hook + the embeddings
        Assert.Equal(Tiny.Vision.Layers + 1, hostless.CopiesFromHost); // the pixels + one per block after the hook
    }
}
