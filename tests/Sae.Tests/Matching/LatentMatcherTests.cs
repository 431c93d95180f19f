using System.Numerics.Tensors;
using Actors.Sae.Architectures;
using Actors.Sae.Matching;
using Xunit.Abstractions;

namespace Actors.Sae.Tests.Matching;

/// <summary>
/// Matching a new SAE version's latents to the old one's: a planted SAE whose latents are permuted and perturbed is
/// recovered exactly (exact and approximate paths), extra and dropped latents are left unmatched, the matching is the
/// brute-force optimum on tiny sizes, and co-activation settles what decoder cosine cannot.
/// </summary>
public sealed class LatentMatcherTests(ITestOutputHelper output)
{
    /// <summary>A copy of <paramref name="old"/> with latent p[i] of the old at new index i (encoder and decoder rows
    /// moved together), Gaussian noise of <paramref name="noise"/> per decoder entry, and <paramref name="extra"/>
    /// random new latents appended.</summary>
    static SparseAutoencoder Permuted(SparseAutoencoder old, int[] p, float noise, int extra, int seed)
    {
        int d = old.DIn, n = p.Length + extra;
        var rng = new Random(seed);
        var dec = new float[n * d]; var enc = new float[n * d];
        var fresh = SparseAutoencoder.CreateRandom(new TopKSaeConfig(d, Math.Max(extra, 1), 1), seed + 1);
        for (int i = 0; i < n; i++)
        {
            var src = i < p.Length ? old.DecoderWeights.AsSpan(p[i] * d, d) : fresh.DecoderWeights.AsSpan((i - p.Length) * d, d);
            var row = dec.AsSpan(i * d, d);
            src.CopyTo(row);
            for (int k = 0; k < d; k++) row[k] += noise * (float)SparseAutoencoder.Gaussian(rng);
            TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Norm(row), row);
            row.CopyTo(enc.AsSpan(i * d, d));
        }
        return SparseAutoencoder.Create(new TopKSaeConfig(d, n, 4), enc, new float[n], dec, new float[d]);
    }

    static int[] Permutation(int n, int seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(p);
        return p;
    }

    [Theory]
    [InlineData(2048)]   // exact: Hungarian
    [InlineData(0)]      // approximate: greedy over the top 16 candidates
    public void TheMatchingRecoversAKnownPermutationOfAPlantedSaesLatentsExactly(int exactMaxLatents)
    {
        var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(64, 256, 4), 11);
        var p = Permutation(256, 12);
        var newer = Permuted(old, p, noise: 0.02f, extra: 0, seed: 13);   // cos(new i, old p[i]) ≈ 0.99
        var matching = LatentMatcher.Match(newer, old, new LatentMatchOptions { ExactMaxLatents = exactMaxLatents });

        Assert.Equal(exactMaxLatents > 0 ? "hungarian" : "greedy-top16", matching.Method);
        Assert.Equal(256, matching.Matches.Length);
        Assert.All(matching.Matches, m => Assert.Equal(p[m.NewLatent], m.OldLatent));
        Assert.Empty(matching.UnmatchedNew);
        Assert.Empty(matching.UnmatchedOld);
        double worst = matching.Matches.Min(m => m.Score);
        output.WriteLine($"{matching.Method}: 256 of 256 recovered, lowest score {worst:F4}");
        // Each score is the cosine of the two decoder rows, recomputed here in double.
        foreach (var m in matching.Matches.Take(20))
            Assert.Equal(NaiveCosine(newer, m.NewLatent, old, m.OldLatent), m.Score, tolerance: 1e-6);
    }

    [Fact]
    public void ExtraNewLatentsAndDroppedOldLatentsAreLeftUnmatched()
    {
        var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(64, 120, 4), 21);
        var kept = Permutation(120, 22)[..100];   // 20 old latents have no successor
        var newer = Permuted(old, kept, noise: 0.02f, extra: 30, seed: 23);   // 30 new latents are new directions
        var matching = LatentMatcher.Match(newer, old);

        Assert.Equal(100, matching.Matches.Length);
        Assert.All(matching.Matches, m => Assert.Equal(kept[m.NewLatent], m.OldLatent));
        Assert.Equal(Enumerable.Range(100, 30), matching.UnmatchedNew);
        Assert.Equal(Enumerable.Range(0, 120).Except(kept).Order(), matching.UnmatchedOld);
    }

    [Fact]
    public void OnTinySizesTheMatchingIsTheBruteForceOptimumOfThresholdedCosines()
    {
        for (int seed = 0; seed < 8; seed++)
        {
            // d_in 3 and 6 by 7 latents: many pairs above and below the threshold, so thresholding matters.
            var newer = SparseAutoencoder.CreateRandom(new TopKSaeConfig(3, 6, 1), 300 + seed);
            var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(3, 7, 1), 400 + seed);
            var options = new LatentMatchOptions { Threshold = 0.6 };
            var matching = LatentMatcher.Match(newer, old, options);

            var s = new double[6, 7];
            for (int i = 0; i < 6; i++) for (int j = 0; j < 7; j++) { double c = NaiveCosine(newer, i, old, j); s[i, j] = c >= 0.6 ? c : 0; }
            double best = 0;
            var taken = new bool[7];
            void Walk(int i, double total)
            {
                if (i == 6) { best = Math.Max(best, total); return; }
                Walk(i + 1, total);   // leave latent i unmatched
                for (int j = 0; j < 7; j++)
                    if (!taken[j] && s[i, j] > 0) { taken[j] = true; Walk(i + 1, total + s[i, j]); taken[j] = false; }
            }
            Walk(0, 0);
            Assert.Equal(best, matching.Matches.Sum(m => m.Score), tolerance: 1e-6);
            Assert.All(matching.Matches, m => Assert.True(m.Score >= 0.6));
        }
    }

    [Fact]
    public void CoActivationSeparatesLatentsThatShareADecoderDirection()
    {
        // Old latents 0 and 1 have the same decoder direction; they fire on disjoint halves of 64 images. The new
        // version has them swapped (new 0 = old 1, new 1 = old 0): only firing can tell.
        var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(16, 8, 2), 31);
        old.DecoderWeights.AsSpan(0, 16).CopyTo(old.DecoderWeights.AsSpan(16, 16));
        var p = new[] { 1, 0, 2, 3, 4, 5, 6, 7 };
        var newer = Permuted(old, p, noise: 0f, extra: 0, seed: 32);
        var oldFiring = new LatentFiring(8, 64); var newFiring = new LatentFiring(8, 64);
        for (int image = 0; image < 64; image++)
        {
            oldFiring.Mark(image < 32 ? 0 : 1, image);
            newFiring.Mark(image < 32 ? 1 : 0, image);
            for (int j = 2; j < 8; j++) if ((image + j) % j == 0) { oldFiring.Mark(j, image); newFiring.Mark(j, image); }
        }
        var withFiring = LatentMatcher.Match(newer, old, null, newFiring, oldFiring);
        Assert.Equal(p, withFiring.Matches.Select(m => m.OldLatent));
        Assert.Equal(64, withFiring.CoActivationImages);
        Assert.All(withFiring.Matches, m => Assert.Equal(1.0, m.CoActivation!.Value, 12));
        Assert.All(withFiring.Matches, m => Assert.Equal(0.5 * m.Cosine + 0.5 * m.CoActivation!.Value, m.Score, 12));

        // Decoder cosine alone ties latents 0 and 1 (both pairings score the same total).
        var cosineOnly = LatentMatcher.Match(newer, old);
        Assert.Equal(cosineOnly.Matches.Sum(m => m.Score), withFiring.Matches.Sum(m => m.Cosine), tolerance: 1e-5);
    }

    [Fact]
    public void CandidatesComputedInBlocksAreTheBestEntriesOfEachRowOfTheDenseCosines()
    {
        var newer = SparseAutoencoder.CreateRandom(new TopKSaeConfig(24, 250, 4), 41);
        var old = SparseAutoencoder.CreateRandom(new TopKSaeConfig(24, 90, 4), 42);
        var dense = DecoderSimilarity.Dense(newer, old);
        var (idx, cos) = DecoderSimilarity.TopCandidates(newer, old, count: 5, blockRows: 64);   // 3 blocks of 64 and one of 58
        for (int i = 0; i < 250; i++)
        {
            var best = Enumerable.Range(0, 90).OrderByDescending(j => dense[i * 90 + j]).ThenBy(j => j).Take(5).ToArray();
            Assert.Equal(best, idx.AsSpan(i * 5, 5).ToArray());
            for (int c = 0; c < 5; c++) Assert.Equal(NaiveCosine(newer, i, old, best[c]), cos[i * 5 + c], tolerance: 1e-5);
        }
    }

    [Fact]
    public void TheJaccardIndexOfFiringSetsIsTheirIntersectionOverTheirUnion()
    {
        var a = new LatentFiring(2, 130); var b = new LatentFiring(2, 130);
        foreach (var i in new[] { 0, 5, 64, 100, 129 }) a.Mark(0, i);
        foreach (var i in new[] { 5, 64, 70, 129 }) b.Mark(1, i);
        Assert.Equal(3.0 / 6, a.Jaccard(0, b, 1));
        Assert.Null(a.Jaccard(1, b, 0));   // neither fired
        Assert.Equal(0.0, a.Jaccard(0, b, 0));
        Assert.Equal(5, a.Count(0));
    }

    static double NaiveCosine(SparseAutoencoder a, int i, SparseAutoencoder b, int j)
    {
        int d = a.DIn; double dot = 0, na = 0, nb = 0;
        for (int k = 0; k < d; k++)
        {
            double x = a.DecoderWeights[i * d + k], y = b.DecoderWeights[j * d + k];
            dot += x * y; na += x * x; nb += y * y;
        }
        return dot / Math.Sqrt(na * nb);
    }
}
