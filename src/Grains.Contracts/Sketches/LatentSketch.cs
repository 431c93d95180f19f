using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// Every mergeable statistic of one latent, over token activations h_{i,j}[s] &gt; 0 and the image-level
/// activations of the images where it fired. A per-batch delta and the grain's accumulated state are the same
/// type, so "one big batch == many small ones" is a statement about <see cref="MergeFrom"/> alone.
/// </summary>
[GenerateSerializer, Alias("actors.LatentSketch")]
public sealed class LatentSketch
{
    [Id(0)] public FiringStats Firing { get; set; }
    /// <summary>Moments of the positive token activations (seed 002: mean over activated samples).</summary>
    [Id(1)] public Moments Activation { get; set; }
    [Id(2)] public MaxTracker Max { get; set; }
    [Id(3)] public LogHistogram Histogram { get; init; }
    [Id(4)] public TopReferences References { get; init; }
    /// <summary>
    /// Per-class image-level activation moments over firing images (seed 000 Eq. 8 needs μ_c, σ̂_c). They also
    /// hold each label's image count and activation mass (count and count·mean), so label counts are derived
    /// from them (<see cref="Labels"/>) instead of kept in a second map that every merge would update.
    /// </summary>
    [Id(5)] public ClassMoments Classes { get; init; } = new();
    /// <summary>
    /// Per-class moments of the latent's image-level Act×Grad relevance R_j for the class prompt (seed 000 Eq. 5) over
    /// the class's images where it fired (elsewhere a_j = 0, so R_j = 0): Eq. 8's μ_j and σ_j for any class at any
    /// time. Empty unless the ingestion named a vocabulary holding the corpus's class prompts.
    /// </summary>
    [Id(6)] public ClassMoments Relevance { get; init; } = new();

    public LatentSketch() : this(new LogHistogram(), new TopReferences()) { }

    /// <summary>An empty sketch with these (empty) parts, e.g. a sparse histogram for a per-batch delta.</summary>
    public LatentSketch(LogHistogram histogram, TopReferences references)
    {
        Histogram = histogram;
        References = references;
    }

    /// <summary>Nothing merged in yet: what a new sketch holds.</summary>
    public bool IsEmpty => Firing == default && Activation == default && !Max.HasValue && Histogram.Total == 0
        && References.Items.Count == 0 && Classes.Classes.Count == 0 && Relevance.Classes.Count == 0;

    /// <summary>Label → (firing images, summed image-level activation): the sum_c of seed 002 Eq. 3. A new map per call.</summary>
    public LabelCounts Labels() => LabelCounts.From(Classes);

    /// <summary>
    /// The grain's hot path: allocation-free (beyond a map or list growing), scalars inline, each part touching
    /// only what the delta occupies (see the parts' MergeFrom).
    /// </summary>
    public void MergeFrom(LatentSketch other)
    {
        Firing = FiringStats.Merge(Firing, other.Firing);
        Activation = Moments.Merge(Activation, other.Activation);
        Max = MaxTracker.Merge(Max, other.Max);
        Histogram.MergeFrom(other.Histogram);
        References.MergeFrom(other.References);
        if (other.Classes.Classes.Count > 0) Classes.MergeFrom(other.Classes);
        if (other.Relevance.Classes.Count > 0) Relevance.MergeFrom(other.Relevance);
    }

    public LatentSketch Clone() => new(Histogram.Clone(), References.Clone())
    {
        Firing = Firing, Activation = Activation, Max = Max, Classes = Classes.Clone(), Relevance = Relevance.Clone(),
    };

    public static LatentSketch Merge(LatentSketch a, LatentSketch b) { var m = a.Clone(); m.MergeFrom(b); return m; }
}
