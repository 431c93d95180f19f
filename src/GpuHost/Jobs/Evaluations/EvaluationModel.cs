using Actors.Analysis;
using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// What every evaluation runs on: a loaded CLIP (its preprocessing and host-side weights), an SAE and the hook it reads.
/// Built from a registered SAE (<see cref="Of"/>) by the job handlers, or from folders by the world-claims command, so
/// both run the same computations. Each evaluation runs vision towers of its own over the shared weights: a
/// <see cref="ClipVisionModel"/> reuses its buffers across calls, and ingestion may run the catalog's instance meanwhile.
/// </summary>
public sealed record EvaluationModel(LoadedModel Model, SparseAutoencoder Sae, SaeHookSpec Hook)
{
    public static EvaluationModel Of(AnalysisTarget target) => new(target.Model, target.Autoencoder, target.Hook);

    public int ProjectionDim => Model.Model.Config.ProjectionDim;
    public int LatentCount => Sae.DSae;

    /// <summary>A vision tower of the caller's own over the shared weights (the CPU backend wraps, not copies, them).</summary>
    public ClipVisionModel NewVision() => Model.NewVision();

    /// <summary>Gradients, Logit Lens and decomposition for this SAE on a tower of its own; one per thread.</summary>
    public LatentAttributor NewAttributor() => new(NewVision(), Model.Weights.Vision, Sae, Hook);
}
