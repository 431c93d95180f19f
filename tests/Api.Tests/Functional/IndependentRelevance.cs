using Actors.Analysis;
using Actors.Analysis.Relevance;
using Actors.Api.Tests.Fixtures;
using Actors.Grains.Latents;
using Actors.Sae;
using Actors.Sae.Formats;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Tokenization;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// Seed 000 Eq. 5 for each image of the corpus and its class prompt, without ingestion, grains or storage: src/Analysis's
/// <see cref="LatentAttributor"/> with <see cref="ActTimesGradient"/> on each image alone (its own forward to the hook),
/// the prompt embedded by the text tower with CLIP's template (<see cref="ZeroShotClassifier"/>). R_j is 0 on an image
/// where latent j did not fire; Eq. 8's μ_j, σ̂_j are the mean and sample standard deviation over the class's images.
/// </summary>
public sealed class IndependentRelevance
{
    /// <summary>Per class, each image's R_j by latent (corpus order).</summary>
    readonly Dictionary<string, List<Dictionary<int, double>>> byClass = new(StringComparer.Ordinal);

    public IndependentRelevance(TestWorld world, string saeFolder, SaeHookSpec hook, IReadOnlyList<string> classes)
    {
        var weights = ClipCheckpoint.Load(world.ModelFolder);
        var model = new ClipModel(new CpuBackend(), weights);
        var attributor = new LatentAttributor(model.Vision, weights.Vision, SaeLensFolder.Read(saeFolder), hook);
        var prompts = ZeroShotClassifier.Create(model, ClipTokenizer.FromDirectory(world.ModelFolder), classes).ClassEmbeddings;
        int dim = model.Config.ProjectionDim;
        foreach (var image in CorpusImages.Read(world))
        {
            int c = classes.ToList().IndexOf(image.Label);
            if (c < 0) continue;
            var relevance = attributor.Attribute(image.Pixels, prompts.AsSpan(c * dim, dim).ToArray(), new ActTimesGradient());
            (byClass.TryGetValue(image.Label, out var list) ? list : byClass[image.Label] = [])
                .Add(relevance.Latents.ToDictionary(l => l.Latent, l => l.Relevance));
        }
    }

    /// <summary>R_j of every image of <paramref name="label"/>, 0 where j did not fire.</summary>
    public double[] Of(string label, int latent) => [.. byClass[label].Select(image => image.GetValueOrDefault(latent))];

    /// <summary>
    /// Asserts the stored relevance moments of one latent and class against these: as many images, the same mean and
    /// sample standard deviation to 1e-4 of the class's largest |R_j| (float32 relevances, batched forward). Returns the
    /// largest difference relative to that scale.
    /// </summary>
    public double AssertMatches(ClassRelevance stored, int latent)
    {
        var r = Of(stored.Label, latent);
        double mean = r.Average(), sd = r.Length > 1 ? Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1)) : 0;
        double scale = Math.Max(r.Max(Math.Abs), 1e-12);
        Assert.True(r.Length == stored.RelevanceImages, $"latent {latent}, class {stored.Label}: {stored.RelevanceImages} images with relevance stored, {r.Length} expected");
        double worst = Math.Max(Math.Abs(mean - stored.MeanRelevance), Math.Abs(sd - stored.RelevanceStdDev)) / scale;
        Assert.True(worst <= 1e-4, $"latent {latent}, class {stored.Label}: stored μ {stored.MeanRelevance:R}, σ̂ {stored.RelevanceStdDev:R}; " +
                                   $"independent μ {mean:R}, σ̂ {sd:R} (largest |R_j| {scale:E2})");
        return worst;
    }
}
