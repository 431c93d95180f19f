using Actors.Analysis.Alignment;
using Actors.Analysis.Steering;
using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// CLIP with an SAE at its hook and a vocabulary, free of grains and corpora: P over the vocabulary before and after a
/// splice, zero-shot predictions and image-level activations, all from preprocessed pixels (batch, C, H, W). The jobs
/// reach it through a <see cref="SteeringSession"/>; world-claims builds its own on rendered scenes. Not thread-safe
/// (one vision tower's buffers).
/// </summary>
public sealed class SteeringModel(SteeredForward forward, VocabularyDistribution vocabulary)
{
    public SteeredForward Forward => forward;
    public VocabularyDistribution Vocabulary => vocabulary;
    public SparseAutoencoder Sae => forward.Sae;
    public int LatentCount => forward.Sae.DSae;

    /// <summary>
    /// The model, SAE and hook with a vocabulary embedded by the same model. The vision tower is one of its own:
    /// <see cref="ClipVisionModel"/> reuses its buffers (not thread-safe) and ingestion or attribution may be running
    /// the catalog's; on the CPU backend it wraps the same weight arrays.
    /// </summary>
    public static SteeringModel Open(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook, ConceptSet concepts)
    {
        if (concepts.Dim != model.Model.Config.ProjectionDim)
            throw new ArgumentException($"concept embeddings have width {concepts.Dim}, the model projects to {model.Model.Config.ProjectionDim}");
        var vision = model.NewVision();
        return new SteeringModel(new SteeredForward(vision, sae, hook), new VocabularyDistribution(concepts, model.Model.LogitScale));
    }

    /// <summary>P over the vocabulary, (n, |V|), of CLIP as it is.</summary>
    public float[] Before(float[] pixels, int n) => vocabulary.Probabilities(forward.Unsteered(pixels, n));

    /// <summary>P̃ over the vocabulary, (n, |V|), with the splice at the SAE's hook.</summary>
    public float[] After(float[] pixels, int n, SteeringSplice splice) => vocabulary.Probabilities(forward.Steered(pixels, n, splice));

    /// <summary>Zero-shot predictions: the most probable concept per image of P (n, |V|).</summary>
    public int[] Predict(float[] probabilities, int n) =>
        Actors.World.Training.ZeroShotMetrics.ArgMax(probabilities, n, vocabulary.Count);

    /// <summary>Each vocabulary concept's index: labels are classified among the vocabulary's concepts.</summary>
    public Dictionary<string, int> ClassIndex() =>
        vocabulary.Concepts.Labels.Select((label, i) => (label, i)).ToDictionary(x => x.label, x => x.i, StringComparer.Ordinal);
}

/// <summary>
/// E_x[f_j(x)] per latent over the images added so far, a batch at a time (seed 001 Eq. 9's expectations; f_j(x) is
/// <see cref="SteeredForward.AddImageActivations"/>'s image-level activation).
/// </summary>
public sealed class MeanImageActivations(SteeredForward forward)
{
    readonly double[] sums = new double[forward.Sae.DSae];

    public int Images { get; private set; }

    public void Add(float[] pixels, int n)
    {
        forward.AddImageActivations(pixels, n, sums);
        Images += n;
    }

    public double[] Means() => Images == 0 ? throw new InvalidOperationException("mean activations need at least one image")
        : sums.Select(s => s / Images).ToArray();
}
