using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Messages;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

/// <summary>The host-side sketching path against naive computations over all raw values.</summary>
public class BatchSketcherTests
{
    static readonly TokenLayout Layout = new(TokensPerImage: 5, HasClassToken: true);   // CLS + 2×2 patches

    /// <summary>A random sparse SAE batch in CSR form.</summary>
    static SaeBatch RandomBatch(Random rng, int images, int dSae, int imageOffset)
    {
        var offsets = new List<int> { 0 };
        var latents = new List<int>(); var values = new List<float>(); var relevance = new List<float>();
        for (int t = 0; t < images * Layout.TokensPerImage; t++)
        {
            foreach (var s in Enumerable.Range(0, dSae).Where(_ => rng.Next(4) == 0))
            {
                latents.Add(s);
                values.Add(rng.Next(10) == 0 ? 0f : (float)Math.Pow(10, rng.NextDouble() * 4 - 2));
                relevance.Add((float)(rng.NextDouble() * 2 - 0.5));
            }
            offsets.Add(latents.Count);
        }
        var refs = Enumerable.Range(imageOffset, images).Select(i => new ImageRef("corpus", $"img{i:D5}", $"h{i}")).ToArray();
        var labels = Enumerable.Range(0, images).Select(_ => rng.Next(6) == 0 ? null : SketchGen.LabelPool[rng.Next(4)]).ToArray();
        return new SaeBatch(refs, labels, [.. offsets], [.. latents], [.. values], [.. relevance]);
    }

    /// <summary>Naive: every statistic of one latent straight from the raw token values of all batches.</summary>
    static void AssertMatchesNaive(int latent, IEnumerable<SaeBatch> batches, LatentSketch sketch, int k)
    {
        var tokenValues = new List<double>();
        var images = new List<(ImageRef Ref, string? Label, double Mean, float[] Heat, double Relevance)>();
        foreach (var b in batches)
            for (int i = 0; i < b.Images.Length; i++)
            {
                var heat = new float[Layout.PatchTokens]; double sum = 0, relevance = 0; bool fired = false;
                for (int j = 0; j < Layout.TokensPerImage; j++)
                {
                    int t = i * Layout.TokensPerImage + j;
                    for (int n = b.TokenOffsets[t]; n < b.TokenOffsets[t + 1]; n++)
                        if (b.Latents[n] == latent && b.Values[n] > 0)
                        {
                            tokenValues.Add(b.Values[n]); sum += b.Values[n]; fired = true;
                            relevance += b.Relevance![n];   // seed 000 Eq. 5 summed over the image's tokens
                            if (j > 0) heat[j - 1] = b.Values[n];
                        }
                }
                if (fired) images.Add((b.Images[i], b.Labels[i], sum / Layout.TokensPerImage, heat, relevance));
            }
        Assert.Equal(tokenValues.Count, sketch.Firing.FiringTokens);
        Assert.Equal(images.Count, sketch.Firing.FiringImages);
        double mean = tokenValues.Count > 0 ? tokenValues.Average() : 0;
        SketchAssert.Close(mean, sketch.Activation.Mean, "mean");
        SketchAssert.Close(tokenValues.Sum(v => (v - mean) * (v - mean)), sketch.Activation.M2, "M2", 1e-9);
        Assert.Equal(tokenValues.Count > 0 ? tokenValues.Max() : 0, sketch.Max.HasValue ? sketch.Max.Max : 0);
        var hist = new long[LogHistogram.Length];
        foreach (var v in tokenValues)   // bins from the edge definition, not from SlotOf
        {
            int slot = v < 1e-4 ? 0 : v >= 1e4 ? LogHistogram.Length - 1
                : 1 + Enumerable.Range(0, LogHistogram.RangeBins).Last(bin => LogHistogram.LowerEdge(bin) <= v);
            hist[slot]++;
        }
        Assert.Equal(hist, sketch.Histogram.Counts);
        var top = images.OrderByDescending(x => x.Mean).ThenBy(x => x.Ref.ImageId, StringComparer.Ordinal).Take(k).ToList();
        Assert.Equal(top.Select(x => x.Ref), sketch.References.Items.Select(r => r.Image));
        for (int r = 0; r < top.Count; r++)
        {
            SketchAssert.Close(top[r].Mean, sketch.References.Items[r].Activation, "reference activation");
            // Stored 8-bit relative to the image's peak cell: each cell within half a level of the exact value.
            var exact = top[r].Heat;
            var stored = sketch.References.Items[r].Heatmap;
            Assert.Equal(exact.Length, stored.Length);
            float peak = exact.Max();
            for (int c = 0; c < exact.Length; c++)
                Assert.True(Math.Abs(exact[c] - stored[c]) <= peak / 510f * 1.0001f, $"cell {c}: {stored[c]} stored for {exact[c]}");
        }
        var byLabel = images.Where(x => x.Label is not null).GroupBy(x => x.Label!).ToDictionary(g => g.Key, g => g.ToList());
        SketchAssert.Close(LabelCounts.EntropyOf(byLabel.Values.Select(g => g.Sum(x => x.Mean))), sketch.Labels().Entropy(), "label entropy");
        foreach (var (label, list) in byLabel)
        {
            Assert.Equal(list.Count, sketch.Labels().Labels[label].Images);
            var m = sketch.Classes.Classes[label];
            Assert.Equal(list.Count, m.Count);
            SketchAssert.Close(list.Average(x => x.Mean), m.Mean, "class mean");
            var r = sketch.Relevance.Classes[label];
            Assert.Equal(list.Count, r.Count);
            double meanRelevance = list.Average(x => x.Relevance);
            SketchAssert.Close(meanRelevance, r.Mean, "class relevance mean");
            SketchAssert.Close(list.Sum(x => (x.Relevance - meanRelevance) * (x.Relevance - meanRelevance)), r.M2, "class relevance M2", 1e-6);
        }
    }

    [Fact]
    public void EachLatentsDeltaMatchesANaiveComputationOverTheRawValues()
    {
        var rng = new Random(11);
        const int dSae = 13, k = 4;
        var sketcher = new BatchSketcher(dSae, Layout, partitions: 3, referenceCapacity: k);
        var batch = RandomBatch(rng, 9, dSae, 0);
        var result = sketcher.Sketch("sae", "corpus", 0, -1, batch);
        Assert.All(result.Partitions, p => Assert.All(p.Deltas, d => Assert.Equal(p.Partition, d.LatentIndex % 3)));
        var byLatent = result.Partitions.SelectMany(p => p.Deltas).ToDictionary(d => d.LatentIndex, d => d.Delta.Sketch);
        for (int s = 0; s < dSae; s++)
            AssertMatchesNaive(s, [batch], byLatent.GetValueOrDefault(s) ?? new LatentSketch { References = new TopReferences(k) }, k);
        Assert.Equal(9 * Layout.TokensPerImage, result.Totals.Tokens);
        Assert.Equal(9, result.Totals.Images);
    }

    [Fact]
    public void OneBigBatchEqualsManySmallBatchesMergedInAnyOrder()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var rng = new Random(seed);
            const int dSae = 7, k = 3;
            var small = Enumerable.Range(0, 5).Select(b => RandomBatch(rng, 1 + rng.Next(4), dSae, b * 100)).ToList();
            var big = new SaeBatch(
                [.. small.SelectMany(b => b.Images)], [.. small.SelectMany(b => b.Labels)],
                Concat(small), [.. small.SelectMany(b => b.Latents)], [.. small.SelectMany(b => b.Values)],
                [.. small.SelectMany(b => b.Relevance!)]);
            var sketcher = new BatchSketcher(dSae, Layout, 2, k);
            var bigDeltas = Deltas(sketcher.Sketch("sae", "c", 0, -1, big));
            var merged = Enumerable.Range(0, dSae).ToDictionary(s => s, _ => new LatentState());
            var order = Enumerable.Range(0, small.Count).OrderBy(_ => rng.Next()).ToList();
            foreach (int b in order)
                foreach (var (s, d) in Deltas(sketcher.Sketch("sae", "c", b, -1, small[b]))) merged[s].TryMerge(d);
            for (int s = 0; s < dSae; s++)
            {
                var expected = bigDeltas.TryGetValue(s, out var d) ? d.Sketch : new LatentSketch();
                SketchAssert.Equal(expected, merged[s].Sketch);
                AssertMatchesNaive(s, small, merged[s].Sketch, k);
            }
        }
    }

    [Fact]
    public void ClassLevelActivationsCountPatchesAboveTauPerEquationsFourAndFive()
    {
        var rng = new Random(4);
        const int dSae = 6;
        var batch = RandomBatch(rng, 12, dSae, 0);
        var result = new BatchSketcher(dSae, Layout, 1).Sketch("sae", "c", 0, -1, batch);
        foreach (var label in batch.Labels.Where(l => l is not null).Distinct())
            for (int s = 0; s < dSae; s++)
            {
                double ac = 0; long imagesActive = 0;
                for (int i = 0; i < batch.Images.Length; i++)
                {
                    if (batch.Labels[i] != label) continue;
                    int ai = 0;   // a_i[s] = Σ_j 𝟙(h_ij[s] > τ)
                    for (int t = i * Layout.TokensPerImage; t < (i + 1) * Layout.TokensPerImage; t++)
                        for (int n = batch.TokenOffsets[t]; n < batch.TokenOffsets[t + 1]; n++)
                            if (batch.Latents[n] == s && batch.Values[n] > 0.2f) ai++;
                    ac += ai; if (ai > 0) imagesActive++;
                }
                var got = result.Classes.TryGetValue(label!, out var ca) ? ca.Latents.GetValueOrDefault(s) : default;
                Assert.Equal(ac, got.Sum);
                Assert.Equal(imagesActive, got.Images);
            }
    }

    [Fact]
    public void OnlyAttributedImagesJoinTheRelevanceMomentsAndTheirClassSizes()
    {
        var rng = new Random(5);
        const int dSae = 6;
        var batch = RandomBatch(rng, 24, dSae, 0);
        // "duck" is no class of the vocabulary: its images carry no relevance (zeros) and must join no moments.
        batch = batch with { Attributed = [.. batch.Labels.Select(l => l is not null && l != "duck")] };
        var result = new BatchSketcher(dSae, Layout, 1).Sketch("sae", "c", 0, -1, batch);
        var labels = batch.Labels.OfType<string>().Distinct().ToList();
        Assert.Contains("duck", labels);
        foreach (var label in labels)
            Assert.Equal(label == "duck" ? 0 : batch.Labels.Count(l => l == label), result.Totals.RelevanceImagesOf(label));

        foreach (var (s, delta) in Deltas(result))
        {
            var state = new LatentState();
            Assert.True(state.TryMerge(delta));
            Assert.False(state.Sketch.Relevance.Classes.ContainsKey("duck"));
            foreach (var c in LatentView.From("sae", s, state, result.Totals).Classes)
            {
                // Naive: R_j per image of the class (0 where the latent did not fire), over the attributed images only.
                var r = Enumerable.Range(0, batch.Images.Length).Where(i => batch.Labels[i] == c.Label && batch.Attributed![i])
                    .Select(i => Enumerable.Range(i * Layout.TokensPerImage, Layout.TokensPerImage)
                        .SelectMany(t => Enumerable.Range(batch.TokenOffsets[t], batch.TokenOffsets[t + 1] - batch.TokenOffsets[t]))
                        .Where(n => batch.Latents[n] == s && batch.Values[n] > 0).Sum(n => (double)batch.Relevance![n]))
                    .ToList();
                Assert.Equal(r.Count, c.RelevanceImages);
                if (r.Count == 0) continue;
                SketchAssert.Close(r.Average(), c.MeanRelevance, $"latent {s} class {c.Label} mean relevance");
                if (r.Count > 1)
                    SketchAssert.Close(Math.Sqrt(r.Sum(x => (x - r.Average()) * (x - r.Average())) / (r.Count - 1)), c.RelevanceStdDev, "relevance sd", 1e-6);
            }
        }
    }

    [Fact]
    public void MalformedBatchesAreRejectedWithTheProblemNamed()
    {
        var sketcher = new BatchSketcher(4, Layout, 1);
        var img = new[] { new ImageRef("c", "a", "h") };
        var e = Assert.Throws<ArgumentException>(() => sketcher.Sketch("s", "c", 0, -1, new SaeBatch(img, [null], [0, 0], [], [])));
        Assert.Contains("TokenOffsets needs 6", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketcher.Sketch("s", "c", 0, -1,
            new SaeBatch(img, [null], [0, 1, 1, 1, 1, 1], [9], [1f])));
        Assert.Throws<ArgumentException>(() => new TokenLayout(6, true));
    }

    static int[] Concat(List<SaeBatch> batches)
    {
        var offsets = new List<int> { 0 };
        foreach (var b in batches) { int baseAt = offsets[^1]; offsets.AddRange(b.TokenOffsets.Skip(1).Select(o => o + baseAt)); }
        return [.. offsets];
    }

    static Dictionary<int, LatentDelta> Deltas(SketchedBatch b) =>
        b.Partitions.SelectMany(p => p.Deltas).ToDictionary(d => d.LatentIndex, d => d.Delta);
}
