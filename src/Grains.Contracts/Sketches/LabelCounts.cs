using Orleans;
using System.Runtime.InteropServices;

namespace Actors.Grains.Sketches;

/// <summary>Images of one label that activated a latent, and their summed image-level activation (sum_c).</summary>
[GenerateSerializer, Alias("actors.LabelMass")]
public readonly record struct LabelMass([property: Id(0)] long Images, [property: Id(1)] double Activation)
{
    public static LabelMass Merge(in LabelMass a, in LabelMass b) => new(a.Images + b.Images, a.Activation + b.Activation);
}

/// <summary>
/// Label → (images, activation mass) of a latent's activating images; merges by adding per label.
/// Its entropy is seed 002 Eq. 3 with sum_c = summed activation of label c:
/// prob_c = sum_c / Σ_c sum_c, entropy = −Σ_c prob_c·log prob_c (natural log, as the paper writes it; 0 means
/// one label only). The paper evaluates it over the reference images; the latent view reports both that
/// and this all-images version, which is the one that merges exactly.
/// </summary>
[GenerateSerializer, Alias("actors.LabelCounts")]
public sealed class LabelCounts
{
    [Id(0)] public Dictionary<string, LabelMass> Labels { get; init; } = new(StringComparer.Ordinal);

    // Both update in place through a reference to the dictionary's value slot: one hash and lookup per label
    // instead of a TryGetValue and an indexer store.
    public void Add(string label, double activation, long images = 1)
    {
        ref var m = ref CollectionsMarshal.GetValueRefOrAddDefault(Labels, label, out _);
        m = LabelMass.Merge(m, new LabelMass(images, activation));
    }

    public void MergeFrom(LabelCounts other)
    {
        foreach (var (label, mass) in other.Labels)
        {
            ref var m = ref CollectionsMarshal.GetValueRefOrAddDefault(Labels, label, out _);
            m = LabelMass.Merge(m, mass);
        }
    }

    /// <summary>The label masses that per-class moments imply: images = n_c, activation = n_c·μ_c.</summary>
    public static LabelCounts From(ClassMoments classes)
    {
        var counts = new LabelCounts();
        foreach (var (label, m) in classes.Classes) counts.Labels[label] = new LabelMass(m.Count, m.Sum);
        return counts;
    }

    /// <summary>
    /// The top label (largest activation mass, then the larger label) and the <see cref="Entropy"/> of
    /// <see cref="From"/>(<paramref name="classes"/>), read off the moments without building the map: every merge
    /// summarizes its latent for the index, and the map was most of what a checkpoint allocated per latent besides its state.
    /// </summary>
    public static (string? Top, double Entropy) TopAndEntropy(ClassMoments classes)
    {
        string? top = null;
        double topMass = 0;
        int n = 0;
        Span<double> sums = classes.Classes.Count <= 64 ? stackalloc double[classes.Classes.Count] : new double[classes.Classes.Count];
        foreach (var (label, m) in classes.Classes)
        {
            if (top is null || (m.Sum, label).CompareTo((topMass, top)) > 0) (top, topMass) = (label, m.Sum);
            sums[n++] = m.Sum;
        }
        return (top, EntropyOfSums(sums));
    }

    public LabelCounts Clone() => new() { Labels = new Dictionary<string, LabelMass>(Labels, StringComparer.Ordinal) };

    public static LabelCounts Merge(LabelCounts a, LabelCounts b) { var m = a.Clone(); m.MergeFrom(b); return m; }

    public double Entropy() => EntropyOf(Labels.Values.Select(m => m.Activation));

    /// <summary>Seed 002 Eq. 3 over per-label activation sums (non-positive sums carry no probability).</summary>
    public static double EntropyOf(IEnumerable<double> sums) => EntropyOfSums([.. sums]);

    static double EntropyOfSums(ReadOnlySpan<double> sums)
    {
        double total = 0;
        foreach (var s in sums) if (s > 0) total += s;
        if (total <= 0) return 0;
        double h = 0;
        foreach (var s in sums) if (s > 0) { double p = s / total; h -= p * Math.Log(p); }
        return h;
    }
}
