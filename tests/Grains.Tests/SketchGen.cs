using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;

namespace Actors.Grains.Tests;

/// <summary>Seeded random generators for property-style tests (FsCheck is not available here).</summary>
public sealed class SketchGen(int seed)
{
    public readonly Random Rng = new(seed);
    public static readonly string[] LabelPool = ["duck", "land", "water", "red", "star", "circle", "typo"];

    /// <summary>Activation-like values: log-uniform over 10^-5..10^5 so every histogram slot gets hits.</summary>
    public double Activation() => Math.Pow(10, Rng.NextDouble() * 10 - 5);

    public Moments Moments()
    {
        var m = Actors.Grains.Sketches.Moments.Empty;
        int n = Rng.Next(0, 20);
        for (int i = 0; i < n; i++) m = m.Add(Rng.NextDouble() * 100 - 20);
        return m;
    }

    public MaxTracker Max() => Rng.Next(4) == 0 ? MaxTracker.Empty : new MaxTracker(true, Rng.NextDouble() * 10);

    public LogHistogram Histogram()
    {
        var h = new LogHistogram();
        int n = Rng.Next(0, 40);
        for (int i = 0; i < n; i++) h.Add(Activation());
        return h;
    }

    public ReferenceImage Reference(int imagePool = 30) =>
        new(new ImageRef("c" + Rng.Next(2), "img" + Rng.Next(imagePool), "h"),
            Rng.Next(5) switch { 0 => 1.0, 1 when Rng.Next(8) == 0 => double.NaN, _ => Math.Round(Rng.NextDouble() * 4, 1) },   // frequent ties (and NaN) exercise the tie-break
            LabelPool[Rng.Next(LabelPool.Length)], 2, [(float)Rng.NextDouble(), 0, 0, 1]);

    public TopReferences References(int capacity = 5)
    {
        var t = new TopReferences(capacity);
        int n = Rng.Next(0, 10);
        for (int i = 0; i < n; i++) t.Add(Reference());
        return t;
    }

    public LabelCounts Labels()
    {
        var l = new LabelCounts();
        int n = Rng.Next(0, 6);
        for (int i = 0; i < n; i++) l.Add(LabelPool[Rng.Next(LabelPool.Length)], Rng.NextDouble() * 3);
        return l;
    }

    public ClassMoments Classes()
    {
        var c = new ClassMoments();
        int n = Rng.Next(0, 12);
        for (int i = 0; i < n; i++) c.Add(LabelPool[Rng.Next(LabelPool.Length)], Rng.NextDouble() * 3);
        return c;
    }

    /// <summary>A latent's raw token activations over random images, as the host would see them.</summary>
    public sealed record RawImage(ImageRef Image, string? Label, int[] Tokens, float[] Values);

    public List<RawImage> RawImages(TokenLayout layout, int images, string corpus = "c0")
    {
        var list = new List<RawImage>();
        for (int i = 0; i < images; i++)
        {
            var tokens = Enumerable.Range(0, layout.TokensPerImage).Where(_ => Rng.Next(3) == 0).ToArray();
            var values = tokens.Select(_ => Rng.Next(6) == 0 ? 0f : (float)Activation()).ToArray();
            string? label = Rng.Next(8) == 0 ? null : LabelPool[Rng.Next(LabelPool.Length)];
            list.Add(new RawImage(new ImageRef(corpus, $"img{Rng.Next(1_000_000)}-{i}", $"hash{i}"), label, tokens, values));
        }
        return list;
    }

    public LatentSketch LatentSketch(TokenLayout layout, int capacity = 4)
    {
        var b = new LatentDeltaBuilder(layout, capacity);
        var sketch = b.NewSketch();
        bool withRelevance = Rng.Next(2) == 0;   // an ingestion with a vocabulary also merges class relevance
        foreach (var img in RawImages(layout, Rng.Next(0, 8)))
            b.AddImage(sketch, img.Image, img.Label, img.Tokens, img.Values,
                withRelevance ? img.Values.Select(_ => (float)(Rng.NextDouble() - 0.3)).ToArray() : default);
        return sketch;
    }
}
