using System.Numerics.Tensors;
using Actors.Analysis.Alignment;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;

namespace Actors.Analysis.Steering;

/// <summary>
/// CLIP's output distribution over a vocabulary (seed 001 Sec. 6.1: the image embedding against the library of text
/// embeddings T, then a softmax): P_i(v) = softmax_v(exp(logit_scale) · cos(i_emb, t_v)), CLIP's zero-shot
/// probabilities (<see cref="ZeroShotClassifier"/> with one prompt per concept). Also the vocabulary's geometry for
/// seed 001 Eq. 10-11: μ_V, the mean of the unit text embeddings, and each concept's distance ‖t̂_v − μ_V‖.
/// </summary>
public sealed class VocabularyDistribution
{
    /// <param name="logitScale">The checkpoint's log inverse temperature (<see cref="ClipModel.LogitScale"/>).</param>
    public VocabularyDistribution(ConceptSet concepts, float logitScale)
    {
        Concepts = concepts;
        Temperature = MathF.Exp(logitScale);
        UnitEmbeddings = Embeddings.Normalized(concepts.Embeddings, concepts.Dim);
        DistanceToMean = DistancesToMean(UnitEmbeddings, concepts.Count, concepts.Dim);
    }

    public ConceptSet Concepts { get; }
    public int Count => Concepts.Count;
    /// <summary>exp(logit_scale), the factor on the cosines.</summary>
    public float Temperature { get; }
    /// <summary>(Count, Dim), unit rows.</summary>
    public float[] UnitEmbeddings { get; }
    /// <summary>‖t̂_v − μ_V‖₂ per concept, μ_V = (1/|V|) Σ_v t̂_v (seed 001 Eq. 10).</summary>
    public double[] DistanceToMean { get; }

    /// <summary>P (n, Count) for image embeddings (n, Dim), not necessarily normalised; each row sums to 1.</summary>
    public float[] Probabilities(ReadOnlySpan<float> imageEmbeddings)
    {
        int d = Concepts.Dim, m = Count;
        if (imageEmbeddings.Length % d != 0) throw new ArgumentException($"{imageEmbeddings.Length} floats are not rows of {d}");
        int n = imageEmbeddings.Length / d;
        var images = Embeddings.Normalized(imageEmbeddings, d);
        var p = new float[(long)n * m];
        Blas.Sgemm(false, true, n, m, d, Temperature, images, d, UnitEmbeddings, d, 0f, p, m);
        for (int i = 0; i < n; i++) TensorPrimitives.SoftMax(p.AsSpan(i * m, m), p.AsSpan(i * m, m));
        return p;
    }

    static double[] DistancesToMean(float[] unit, int m, int d)
    {
        var mean = new double[d];
        for (int v = 0; v < m; v++)
            for (int k = 0; k < d; k++) mean[k] += unit[v * d + k];
        for (int k = 0; k < d; k++) mean[k] /= m;
        var distance = new double[m];
        for (int v = 0; v < m; v++)
        {
            double sum = 0;
            for (int k = 0; k < d; k++) { double e = unit[v * d + k] - mean[k]; sum += e * e; }
            distance[v] = Math.Sqrt(sum);
        }
        return distance;
    }
}
