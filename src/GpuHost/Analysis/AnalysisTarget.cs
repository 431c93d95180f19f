using Actors.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Registry;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Vision.Clip;
using Orleans;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// A registered SAE ready for analysis on this host: its record, its CLIP model (with the weights backward passes read),
/// the autoencoder and the hook it reads. Every analysis (attribution, labelling, evaluations) starts from one.
/// </summary>
public sealed record AnalysisTarget(string SaeId, SaeRecord Record, ModelRecord ModelRecord, LoadedModel Model,
    SparseAutoencoder Autoencoder, SaeHookSpec Hook)
{
    /// <summary>Relevance of this SAE's latents for an image and a text (seed 000 Sec. 3-5); one per thread.</summary>
    public LatentAttributor Attributor() => new(PrivateVision(), Model.Weights.Vision, Autoencoder, Hook);

    /// <summary>A vision tower of the caller's own (<see cref="LoadedModel.NewVision"/>).</summary>
    public ClipVisionModel PrivateVision() => Model.NewVision();

    /// <summary>Loads the SAE's model and weights through the host's catalogs (each is loaded once per process).</summary>
    public static async Task<AnalysisTarget> LoadAsync(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, string saeId)
    {
        var record = (await grains.GetGrain<ISaeGrain>(saeId).GetAsync()).Record
            ?? throw new KeyNotFoundException($"no SAE '{saeId}' is registered");
        var modelRecord = await grains.GetGrain<IModelGrain>(record.ModelId).GetAsync()
            ?? throw new KeyNotFoundException($"model '{record.ModelId}' of SAE '{saeId}' is not registered");
        var model = models.Load(modelRecord);
        var sae = saes.Load(record.WeightsPath, record.Release, record.K);
        return new AnalysisTarget(saeId, record, modelRecord, model, sae, IngestionJob.HookOf(record));
    }
}
