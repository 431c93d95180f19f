using Actors.Vision.Imaging;

namespace Actors.Vision.Tests.Imaging;

public sealed class ClipPreprocessorTests
{
    [Fact]
    public void ClipNormalisationConstantsAreOpenAIs()
    {
        Assert.Equal(new[] { 0.48145466f, 0.4578275f, 0.40821073f }, ClipPreprocessor.ClipMean);
        Assert.Equal(new[] { 0.26862954f, 0.26130258f, 0.27577711f }, ClipPreprocessor.ClipStd);
    }

    [Theory]
    [InlineData(300, 200, 336, 224)]
    [InlineData(200, 300, 224, 336)]
    [InlineData(640, 427, 335, 224)] // int(224·640/427) = int(335.7) = 335
    [InlineData(224, 224, 224, 224)]
    public void ShortestSideBecomesTheImageSize(int w, int h, int ew, int eh)
    {
        Assert.Equal((ew, eh), new ClipPreprocessor(224).ResizedSize(w, h));
    }

    [Theory]
    [InlineData(299, 224, 38, 37)] // (299−224)/2 = 37.5: torchvision round-half-even → 38; transformers floor → 37
    [InlineData(297, 224, 36, 36)] // 36.5 → 36 (even) and 36
    [InlineData(300, 224, 38, 38)]
    [InlineData(224, 224, 0, 0)]
    public void CentreCropOffsetsFollowEachConvention(int size, int crop, int torchvision, int floor)
    {
        Assert.Equal(torchvision, ClipPreprocessor.Offset(size, crop, CenterCropRounding.Torchvision));
        Assert.Equal(floor, ClipPreprocessor.Offset(size, crop, CenterCropRounding.Floor));
    }

    [Fact]
    public void PreprocessNormalisesEachChannelIntoChw()
    {
        // An already-sized 2×2 image: no resize, no crop; check every float against (v/255 − mean)/std.
        var img = new RgbImage(2, 2, [0, 128, 255, 10, 20, 30, 40, 50, 60, 255, 255, 255]);
        var p = new ClipPreprocessor(2);
        var output = new float[p.FloatsPerImage];
        p.Preprocess(img, output);
        for (int c = 0; c < 3; c++)
        for (int i = 0; i < 4; i++)
        {
            double expected = (img.Pixels[3 * i + c] / 255.0 - ClipPreprocessor.ClipMean[c]) / ClipPreprocessor.ClipStd[c];
            Assert.Equal(expected, output[c * 4 + i], 5);
        }
    }

    [Fact]
    public void ResizeAndCropEqualsResizeThenManualCrop()
    {
        var img = TestImages.Random(60, 40, seed: 5);
        var p = new ClipPreprocessor(16);
        var got = p.ResizeAndCrop(img);
        var resized = BicubicResampler.Resize(img, 24, 16); // int(16·60/40) = 24
        int left = 4; // (24−16)/2
        for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++)
            Assert.Equal(resized.GetPixel(x + left, y), got.GetPixel(x, y));
    }

    [Fact]
    public void ReadsHuggingFacePreprocessorConfig()
    {
        const string json = """
        {"crop_size": {"height": 224, "width": 224}, "do_center_crop": true, "do_normalize": true, "do_resize": true,
         "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
         "resample": 3, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": 224}}
        """;
        var p = ClipPreprocessor.FromPreprocessorConfigJson(json);
        Assert.Equal(224, p.ShortestEdge);
        Assert.Equal((224, 224), (p.CropWidth, p.CropHeight));
        Assert.Equal(ClipPreprocessor.ClipStd, p.Std);
        Assert.Equal(CenterCropRounding.Floor, p.CropRounding);
        var old = ClipPreprocessor.FromPreprocessorConfigJson("""{"size": 32, "crop_size": 30, "resample": 3}""");
        Assert.Equal((32, 30), (old.ShortestEdge, old.CropWidth));
    }

    [Fact]
    public void UnsupportedResampleIsRefusedByName()
    {
        var ex = Assert.Throws<NotSupportedException>(() =>
            ClipPreprocessor.FromPreprocessorConfigJson("""{"size": 224, "resample": 2}""", "cfg.json"));
        Assert.Contains("cfg.json", ex.Message);
        Assert.Contains("resample=2", ex.Message);
    }

    [Fact]
    public void ABatchWithACorruptFileInTheMiddleKeepsTheOthers()
    {
        string dir = TestImages.TempDir();
        var paths = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            string path = Path.Combine(dir, $"img{i}.png");
            if (i == 2) File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
            else File.WriteAllBytes(path, ImageCodec.EncodePng(TestImages.Random(20 + i, 18, seed: i)));
            paths.Add(path);
        }
        paths.Add(Path.Combine(dir, "missing.jpg"));
        var p = new ClipPreprocessor(16);
        var batch = p.PreprocessBatch(paths);
        Assert.Equal(4, batch.Count);
        Assert.Equal(new[] { 0, 1, 3, 4 }, batch.SourceIndices);
        Assert.Equal(4 * p.FloatsPerImage, batch.Pixels.Length);
        Assert.Equal(2, batch.Errors.Count);
        Assert.Equal(paths[2], batch.Errors[0].Path);
        Assert.Contains("img2.png", batch.Errors[0].Message);
        Assert.Contains("missing.jpg", batch.Errors[1].Message);
        // Each kept slot holds exactly that file's single-image preprocessing.
        for (int j = 0; j < 4; j++)
            Assert.Equal(p.Preprocess(batch.Paths[j]), batch.Pixels.AsSpan(j * p.FloatsPerImage, p.FloatsPerImage).ToArray());
    }
}
