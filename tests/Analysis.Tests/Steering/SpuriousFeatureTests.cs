using Actors.Analysis.Steering;
using Actors.Sae.Architectures;
using Actors.Tensors;

namespace Actors.Analysis.Tests.Steering;

public class SpuriousFeatureTests
{
    [Fact]
    public void Equation9SelectsTheLatentsWhoseMeanWithTheAttributeExceedsTheMeanWithoutByMoreThanTau()
    {
        var rng = new SplitMix64(121);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 1 + rng.NextInt(300);
            var with = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.3 ? 0 : rng.NextDouble() * 2).ToArray();
            var without = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.3 ? 0 : rng.NextDouble() * 2).ToArray();
            double tau = rng.NextDouble() - 0.2;
            var naive = new List<int>();
            for (int j = 0; j < n; j++) if (with[j] > without[j] + tau) naive.Add(j);
            Assert.Equal(naive, SpuriousFeatures.Select(with, without, tau));
        }
        Assert.Equal([1], SpuriousFeatures.Select([1.0, 2.0, 0.5], [0.5, 1.0, 0.0], 0.5));   // 1.0 > 0.5 + 0.5 is false
    }

    [Fact]
    public void CosineExpansionAddsEveryLatentWhoseDecoderDirectionIsCloserThanLambdaToASelectedOne()
    {
        var rng = new SplitMix64(122);
        var sae = SparseAutoencoder.CreateRandom(new TopKSaeConfig(12, 2500, 4), 123, decoderRowNorm: 3f);
        int d = sae.DIn;
        // Plant near-copies of latent 7's direction (and a zero row) so the expansion has something to find.
        for (int j = 2000; j < 2010; j++)
            for (int i = 0; i < d; i++) sae.DecoderWeights[j * d + i] = 2f * sae.DecoderWeights[7 * d + i] + 0.3f * (float)(rng.NextDouble() - 0.5) * (j - 2000);
        Array.Clear(sae.DecoderWeights, 2400 * d, d);
        int[] selected = [7, 99, 1500];
        foreach (double lambda in new[] { 0.2, 0.5, 0.9, 0.99 })
        {
            var naive = new SortedSet<int>(selected);
            int borderline = 0;
            for (int j = 0; j < sae.DSae; j++)
                foreach (int m in selected)
                {
                    double c = Cosine(sae.DecoderWeights.AsSpan(j * d, d), sae.DecoderWeights.AsSpan(m * d, d));
                    if (Math.Abs(c - lambda) < 1e-5) borderline++;
                    if (c > lambda) naive.Add(j);
                }
            Assert.Equal(0, borderline);   // float and double agree away from λ
            var expanded = SpuriousFeatures.ExpandByDecoderCosine(sae, selected, lambda);
            Assert.Equal(naive.ToArray(), expanded);
            Assert.DoesNotContain(2400, expanded);
            if (lambda <= 0.9) Assert.Contains(2005, expanded);
        }
        Assert.Empty(SpuriousFeatures.ExpandByDecoderCosine(sae, [], 0.1));
    }

    static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) { ab += a[i] * (double)b[i]; aa += a[i] * (double)a[i]; bb += b[i] * (double)b[i]; }
        return aa == 0 || bb == 0 ? 0 : ab / Math.Sqrt(aa * bb);
    }
}
