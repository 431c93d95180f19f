using Actors.Analysis.Patches;
using Actors.Sae;
using Actors.Tensors;

namespace Actors.Analysis.Tests.Patches;

public class ClassLevelActivationTests
{
    /// <summary>Dense (tokens, latents) activations, most zero, some near the 0.2 threshold.</summary>
    private static float[] Tokens(SplitMix64 rng, int tokens, int latents)
    {
        var h = new float[tokens * latents];
        for (int i = 0; i < h.Length; i++)
        {
            double u = rng.NextDouble();
            h[i] = u < 0.6 ? 0 : u < 0.7 ? 0.2f : (float)(0.4 * rng.NextDouble());
        }
        return h;
    }

    private static SparseActivations Sparse(float[] h, int tokens, int latents)
    {
        var start = new int[tokens + 1]; var idx = new List<int>(); var val = new List<float>();
        for (int t = 0; t < tokens; t++)
        {
            for (int s = 0; s < latents; s++) if (h[t * latents + s] != 0) { idx.Add(s); val.Add(h[t * latents + s]); }
            start[t + 1] = idx.Count;
        }
        return new SparseActivations(tokens, latents, start, idx.ToArray(), val.ToArray());
    }

    [Fact]
    public void ImageLevelActivationCountsTokensStrictlyAboveTau()
    {
        // Tokens × latents: latent 0 is exactly at τ on every token and never counts; latent 1 is just above on two.
        float[] h = [0.2f, 0.2001f, 0f,
                     0.2f, 0.5f,    0.1f,
                     0.2f, 0f,      0.3f];
        Assert.Equal([0, 2, 1], ImageLevelActivation.FromDense(h, 3, 3));
        Assert.Equal([0, 2, 1], ImageLevelActivation.FromTokens(Sparse(h, 3, 3)));
        Assert.Equal([3, 2, 2], ImageLevelActivation.FromDense(h, 3, 3, threshold: 0.05f));
    }

    [Fact]
    public void SparseAndDenseTokensGiveTheSameImageLevelActivations()
    {
        var rng = new SplitMix64(61);
        for (int trial = 0; trial < 20; trial++)
        {
            int tokens = 1 + rng.NextInt(197), latents = 1 + rng.NextInt(40);
            var h = Tokens(rng, tokens, latents);
            Assert.Equal(ImageLevelActivation.FromDense(h, tokens, latents), ImageLevelActivation.FromTokens(Sparse(h, tokens, latents)));
        }
    }

    [Fact]
    public void ClassLevelActivationsSumImagesOfEachClassAndTheDatasetLevelSumsAll()
    {
        var rng = new SplitMix64(62);
        int latents = 30, classes = 4, images = 40;
        var h = Enumerable.Range(0, images).Select(_ => Tokens(rng, 10, latents)).ToArray();
        var labels = Enumerable.Range(0, images).Select(_ => rng.NextInt(classes)).ToArray();
        var imageLevel = h.Select(x => ImageLevelActivation.FromDense(x, 10, latents)).ToArray();
        var table = ClassLevelActivations.FromImages(imageLevel, labels, classes);

        // Eq. 4-5 written out over images, tokens and latents.
        for (int c = 0; c < classes; c++)
        for (int s = 0; s < latents; s++)
        {
            long expected = 0;
            for (int i = 0; i < images; i++)
                if (labels[i] == c)
                    for (int t = 0; t < 10; t++) expected += h[i][t * latents + s] > 0.2f ? 1 : 0;
            Assert.Equal(expected, table.ForClass(c)[s]);
        }
        var dataset = table.DatasetLevel();
        for (int s = 0; s < latents; s++) Assert.Equal(imageLevel.Sum(a => (long)a[s]), dataset[s]);

        var merged = ClassLevelActivations.Merge(
            ClassLevelActivations.FromImages(imageLevel[..15], labels[..15], classes),
            ClassLevelActivations.FromImages(imageLevel[15..], labels[15..], classes));
        Assert.Equal(table.Counts, merged.Counts);
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassLevelActivations.FromImages(imageLevel[..1], [classes], classes));
    }
}
