using Actors.Api.Tests.Fixtures;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Sae;
using Actors.Sae.Formats;

namespace Actors.Api.Tests.Functional;

/// <summary>What one latent did over the corpus, counted directly from the SAE's token activations.</summary>
public sealed record LatentTruth(int Latent, long FiringTokens, long FiringImages, double Sum, double Max, string TopImage, double TopImageActivation)
{
    public double Mean => Sum / FiringTokens;
}

/// <summary>
/// The statistics ingestion should store, computed without the ingestion pipeline, grains or storage: each image
/// of the corpus folder that decodes is preprocessed as the model's preprocessor_config.json says, run through
/// the CLIP vision tower to the SAE's layer, every token encoded by the SAE, and the positive activations counted
/// per latent in plain loops (seed 002 Sec. 3.2: a token fires when h &gt; 0; an image's activation is the mean
/// of h over all its tokens). Images go through the model in the corpus's order and batches of the same size
/// as ingestion's, so the arithmetic is the same and only the bookkeeping is independent.
/// </summary>
public static class IndependentStatistics
{
    public static (Dictionary<int, LatentTruth> Latents, long Tokens, long Images) Compute(TestWorld world, int batchSize)
    {
        var model = ClipModel.Load(world.ModelFolder);
        var preprocessor = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(world.ModelFolder, "preprocessor_config.json"));
        var sae = SaeLensFolder.Read(world.SaeFolder);
        var hook = new SaeHookSpec(TestWorld.Layer, TokenSelection.All, $"blocks.{TestWorld.Layer}.hook_resid_post");
        int tokens = model.Config.Vision.Tokens, width = model.Config.Vision.HiddenSize, per = preprocessor.FloatsPerImage;

        var files = Directory.EnumerateFiles(world.CorpusFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(world.CorpusFolder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var firingTokens = new Dictionary<int, long>();
        var firingImages = new Dictionary<int, long>();
        var sums = new Dictionary<int, double>();
        var maxima = new Dictionary<int, double>();
        var top = new Dictionary<int, (string Image, double Activation)>();
        long images = 0;

        foreach (var chunk in files.Chunk(batchSize))
        {
            var decoded = new List<(string Id, RgbImage Image)>();
            foreach (var id in chunk)
            {
                try { decoded.Add((id, ImageCodec.Decode(File.ReadAllBytes(Path.Combine(world.CorpusFolder, id)), id))); }
                catch (Exception e) when (e is not OutOfMemoryException) { }   // the corrupt and truncated files
            }
            if (decoded.Count == 0) continue;
            var pixels = new float[decoded.Count * per];
            for (int i = 0; i < decoded.Count; i++) preprocessor.Preprocess(decoded[i].Image, pixels.AsSpan(i * per, per));
            var residual = model.Vision.ResidualAfter(pixels, decoded.Count, hook.Layer);
            var rows = hook.SelectRows(residual, decoded.Count, tokens, width);
            var activations = sae.Encode(rows, decoded.Count * tokens);

            for (int i = 0; i < decoded.Count; i++)
            {
                var imageSum = new Dictionary<int, double>();
                for (int t = 0; t < tokens; t++)
                {
                    var idx = activations.RowIndices(i * tokens + t);
                    var val = activations.RowValues(i * tokens + t);
                    for (int n = 0; n < idx.Length; n++)
                    {
                        if (!(val[n] > 0)) continue;
                        int s = idx[n];
                        firingTokens[s] = firingTokens.GetValueOrDefault(s) + 1;
                        sums[s] = sums.GetValueOrDefault(s) + val[n];
                        maxima[s] = Math.Max(maxima.GetValueOrDefault(s, double.NegativeInfinity), val[n]);
                        imageSum[s] = imageSum.GetValueOrDefault(s) + val[n];
                    }
                }
                foreach (var (s, sum) in imageSum)
                {
                    firingImages[s] = firingImages.GetValueOrDefault(s) + 1;
                    double activation = sum / tokens;
                    // Ties go to the ordinally first image id; images arrive in ordinal order, so '>' keeps it.
                    if (!top.TryGetValue(s, out var best) || activation > best.Activation) top[s] = (decoded[i].Id, activation);
                }
            }
            images += decoded.Count;
        }

        var latents = firingTokens.Keys.ToDictionary(s => s, s =>
            new LatentTruth(s, firingTokens[s], firingImages[s], sums[s], maxima[s], top[s].Image, top[s].Activation));
        return (latents, images * tokens, images);
    }
}
