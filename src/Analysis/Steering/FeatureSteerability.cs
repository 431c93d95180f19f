namespace Actors.Analysis.Steering;

/// <summary>
/// Feature-level steering metrics of one latent at one strength, from P_i (before) and P̃_i (steered) over images I
/// and a vocabulary V (seed 001 Sec. 6.1.1 and App. 11.2):
/// <list type="bullet">
/// <item>Eq. 4, ΔP_f = |(1/|I|) Σ_i (P̃_i − P_i)|, a vector over V; <see cref="MeanChange"/> keeps its sign (the
/// concepts the feature promotes are positive), <see cref="DeltaP"/> is its absolute value as the paper writes it.</item>
/// <item>Eq. 5, S_f = |(1/|I|) Σ_i (P̃_i − P_i)²|. Our reading: the square is elementwise and S_f is the sum over
/// the vocabulary of that per-concept mean, Σ_v (1/|I|) Σ_i (P̃_iv − P_iv)², a scalar. The paper's property that a
/// feature putting mass 1/n_c on each of n_c concepts scores Σ (1/n_c)² = 1/n_c needs the sum over concepts, and the
/// square sits inside the mean over images as written (not the square of Eq. 4's mean).</item>
/// <item>Eq. 10-11, D_f = Σ_v P(v|f) ‖v − μ_V‖₂ with v the unit text embeddings, μ_V their mean, and P(v|f) the
/// mean steered distribution (1/|I|) Σ_i P̃_i (<see cref="SteeredDistribution"/>).</item>
/// </list>
/// </summary>
public sealed record FeatureSteerability(double[] MeanChange, double Steerability, double[] SteeredDistribution, double ConceptDistance)
{
    /// <summary>Eq. 4: |mean change| per concept.</summary>
    public double[] DeltaP => MeanChange.Select(Math.Abs).ToArray();

    /// <summary>The concept the feature promotes most: argmax_v of the signed mean change (lowest index on ties).</summary>
    public int PromotedConcept
    {
        get
        {
            int best = 0;
            for (int v = 1; v < MeanChange.Length; v++) if (MeanChange[v] > MeanChange[best]) best = v;
            return best;
        }
    }

    /// <param name="before">P_i, (images, |V|) row-major.</param>
    /// <param name="after">P̃_i, same shape.</param>
    /// <param name="distanceToMean">‖v − μ_V‖ per concept (<see cref="VocabularyDistribution.DistanceToMean"/>).</param>
    public static FeatureSteerability Of(ReadOnlySpan<float> before, ReadOnlySpan<float> after, int images, IReadOnlyList<double> distanceToMean)
    {
        var sums = new FeatureSteerabilitySums(distanceToMean.Count);
        sums.Add(before, after, images);
        return sums.Result(distanceToMean);
    }
}

/// <summary>
/// The sums behind <see cref="FeatureSteerability"/>, added a batch of images at a time (a corpus need not fit in
/// memory): Σ_i (P̃_i − P_i) and Σ_i P̃_i per concept, Σ_i Σ_v (P̃_iv − P_iv)², and |I|.
/// </summary>
public sealed class FeatureSteerabilitySums(int concepts)
{
    readonly double[] change = new double[concepts], steered = new double[concepts];
    double squares;

    public int Images { get; private set; }

    /// <param name="before">P_i of this batch, (images, concepts).</param>
    /// <param name="after">P̃_i of the same images.</param>
    public void Add(ReadOnlySpan<float> before, ReadOnlySpan<float> after, int images)
    {
        int m = change.Length;
        if (images < 0 || before.Length != (long)images * m || after.Length != before.Length)
            throw new ArgumentException($"distributions hold {before.Length} and {after.Length} values, expected {images} images × {m} concepts");
        for (int i = 0; i < images; i++)
            for (int v = 0; v < m; v++)
            {
                double diff = (double)after[i * m + v] - before[i * m + v];
                change[v] += diff; steered[v] += after[i * m + v]; squares += diff * diff;
            }
        Images += images;
    }

    public FeatureSteerability Result(IReadOnlyList<double> distanceToMean)
    {
        int m = change.Length;
        if (Images == 0) throw new InvalidOperationException("steering metrics need at least one image");
        if (distanceToMean.Count != m) throw new ArgumentException($"{distanceToMean.Count} distances for {m} concepts");
        var meanChange = new double[m]; var meanSteered = new double[m];
        double distance = 0;
        for (int v = 0; v < m; v++)
        {
            meanChange[v] = change[v] / Images; meanSteered[v] = steered[v] / Images;
            distance += meanSteered[v] * distanceToMean[v];   // Eq. 11
        }
        return new FeatureSteerability(meanChange, squares / Images, meanSteered, distance);
    }
}
