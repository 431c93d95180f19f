using Actors.Api.Tests.Fixtures;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Registry;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;

namespace Actors.Api.Tests.Functional;

/// <summary>One decodable image: its hooked rows (tokens × width after block <see cref="TestWorld.Layer"/>), label and pixels.</summary>
public sealed record HookedImage(string ImageId, float[] Rows, string? Label, float[] Pixels);

/// <summary>
/// What a retraining job reports, recomputed without the job: a fresh model from the world's folder, images decoded
/// and preprocessed one by one, the SAE applied in double-precision loops (top-k, ReLU, decode), explained variance,
/// L0, zero-shot cross-entropy, decoder cosines and firing-set Jaccard indices written out.
/// </summary>
public static class IndependentRetraining
{
    public static IReadOnlyList<CorpusItem> Corpus(TestWorld world) => CorpusReader.Read(new CorpusSource("folder", Path.GetFullPath(world.CorpusFolder)));

    public static List<HookedImage> Hooked(TestWorld world, IEnumerable<CorpusItem> items)
    {
        var model = ClipModel.Load(world.ModelFolder);
        var preprocessor = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(world.ModelFolder, "preprocessor_config.json"));
        var result = new List<HookedImage>();
        foreach (var item in items)
        {
            RgbImage image;
            try { image = ImageCodec.Decode(item.Location); } catch (ImageDecodeException) { continue; }
            var pixels = new float[preprocessor.FloatsPerImage];
            preprocessor.Preprocess(image, pixels);
            result.Add(new HookedImage(item.ImageId, model.Vision.ResidualAfter(pixels, 1, TestWorld.Layer), item.Label, pixels));
        }
        return result;
    }

    /// <summary>The k largest pre-activations (ties: lower index), ReLU'd; returns (latent, activation) pairs with a &gt; 0.</summary>
    public static List<(int Latent, double Value)> Encode(SparseAutoencoder sae, int k, ReadOnlySpan<float> x)
    {
        int d = sae.DIn;
        var pre = new (int Latent, double Value)[sae.DSae];
        for (int j = 0; j < sae.DSae; j++)
        {
            double z = sae.EncoderBias[j];
            for (int i = 0; i < d; i++) z += (double)sae.EncoderWeights[j * d + i] * (x[i] - sae.DecoderBias[i]);
            pre[j] = (j, z);
        }
        return [.. pre.OrderByDescending(p => p.Value).ThenBy(p => p.Latent).Take(k).Where(p => p.Value > 0)];
    }

    /// <summary>1 − Σ‖x − x̂‖² / Σ‖x − x̄‖² and mean active latents over all rows of the images.</summary>
    public static (double ExplainedVariance, double MeanL0) Metrics(SparseAutoencoder sae, int k, IReadOnlyList<HookedImage> images)
    {
        int d = sae.DIn;
        var rows = images.SelectMany(im => Enumerable.Range(0, im.Rows.Length / d).Select(r => im.Rows.AsMemory(r * d, d))).ToList();
        var mean = new double[d];
        foreach (var r in rows) for (int i = 0; i < d; i++) mean[i] += r.Span[i] / (double)rows.Count;
        double error = 0, total = 0, active = 0;
        foreach (var r in rows)
        {
            var a = Encode(sae, k, r.Span);
            active += a.Count;
            for (int i = 0; i < d; i++)
            {
                double xhat = sae.DecoderBias[i] + a.Sum(p => p.Value * sae.DecoderWeights[p.Latent * d + i]);
                error += Math.Pow(r.Span[i] - xhat, 2);
                total += Math.Pow(r.Span[i] - mean[i], 2);
            }
        }
        return (1 - error / total, active / rows.Count);
    }

    /// <summary>Mean −log p(label | image) of the unedited model's zero-shot classifier over the labelled images (prompt "a photo of a {label}.").</summary>
    public static double ZeroShotCrossEntropy(TestWorld world, IReadOnlyList<HookedImage> images)
    {
        var model = ClipModel.Load(world.ModelFolder);
        var labels = images.Select(i => i.Label!).Distinct().Order(StringComparer.Ordinal).ToList();
        var classifier = ZeroShotClassifier.Create(model, ClipTokenizer.FromDirectory(world.ModelFolder), labels);
        return images.Average(im => -Math.Log(classifier.Classify(im.Pixels, 1)[labels.IndexOf(im.Label!)]));
    }

    public static double DecoderCosine(SparseAutoencoder a, int i, SparseAutoencoder b, int j)
    {
        int d = a.DIn; double dot = 0, na = 0, nb = 0;
        for (int t = 0; t < d; t++) { double x = a.DecoderWeights[i * d + t], y = b.DecoderWeights[j * d + t]; dot += x * y; na += x * x; nb += y * y; }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>For each latent, the set of images on which any of its tokens is active.</summary>
    public static HashSet<string>[] FiringImages(SparseAutoencoder sae, int k, IReadOnlyList<HookedImage> images)
    {
        var sets = Enumerable.Range(0, sae.DSae).Select(_ => new HashSet<string>()).ToArray();
        int d = sae.DIn;
        foreach (var im in images)
            for (int r = 0; r < im.Rows.Length / d; r++)
                foreach (var (latent, _) in Encode(sae, k, im.Rows.AsSpan(r * d, d))) sets[latent].Add(im.ImageId);
        return sets;
    }
}
