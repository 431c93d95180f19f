using Actors.Tensors.Kernels;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.World.Training;

namespace Actors.World.Tests.Training;

public class HuggingFaceExportTests
{
    [Theory]
    [InlineData(ActivationKind.QuickGelu)]
    [InlineData(ActivationKind.Gelu)]
    public void TheRealLoaderReadsTheExportAndReproducesTheTrainingModelsEmbeddings(ActivationKind activation)
    {
        var cfg = ClipTrainingConfig.Tiny(vocabSize: 24) with { Activation = activation };
        var model = new ClipTrainingModel(cfg);
        model.Initialize(21);
        var rng = new Random(2);
        for (int i = 0; i < model.Parameters.Length; i++) model.Parameters[i] += (float)(rng.NextDouble() * 0.1 - 0.05);
        var tokens = new SpecialTokens(StartOfText: 22, EndOfText: 23, Padding: 23);
        string dir = Path.Combine(Path.GetTempPath(), "export-" + Guid.NewGuid().ToString("N"));
        try
        {
            HuggingFaceExport.Write(model, dir, tokens, "{}", "#version: 0.2\n", ClipPreprocessor.ClipMean, ClipPreprocessor.ClipStd);
            var loaded = ClipModel.Load(dir);
            Assert.Equal(activation, loaded.Config.Vision.Activation);
            Assert.Equal(activation, loaded.Config.Text.Activation);
            Assert.Equal(model.Parameters[model.LogitScale.Offset], loaded.LogitScale);

            const int b = 2;
            var pixels = Enumerable.Range(0, b * 3 * 16 * 16).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var mine = model.EncodeImages(pixels, b);
            var theirs = loaded.Vision.Encode(pixels, b);
            double di = mine.Select((v, i) => Math.Abs(v - theirs[i])).Max();

            int t = cfg.ContextLength;
            int[] ids = [22, 5, 6, 23, 23, 23, 23, 23, 22, 7, 8, 9, 10, 11, 12, 23];
            var mineText = model.EncodeTexts(ids, [3, 7], b);
            var theirsText = loaded.Text.Encode(ids, b);
            double dt = mineText.Select((v, i) => Math.Abs(v - theirsText[i])).Max();
            Assert.True(di < 1e-5 && dt < 1e-5, $"max |diff| image {di}, text {dt}");
            Assert.Equal(t, loaded.Text.ContextLength);

            var pre = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(dir, "preprocessor_config.json"));
            Assert.Equal(16, pre.CropHeight);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
