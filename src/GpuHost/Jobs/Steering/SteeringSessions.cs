using Actors.GpuHost.Analysis;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Hosts;
using Orleans;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// Opens what every steering computation needs: the registered SAE with its model and hook
/// (<see cref="AnalysisTarget"/>), a vocabulary embedded by that same model, and images of corpora. A registry problem
/// (unknown SAE or vocabulary, a vocabulary of another model) is an <see cref="InvalidArtifactException"/> naming the
/// request field.
/// </summary>
public sealed class SteeringSessions(IGrainFactory grains, ModelCatalog models, SaeCatalog saes, VocabularyCache vocabularies, ImageBatchLoader images)
{
    public IGrainFactory Grains => grains;

    public async Task<SteeringSession> OpenAsync(string saeId, string vocabularyId)
    {
        AnalysisTarget target;
        try { target = await AnalysisTarget.LoadAsync(grains, models, saes, saeId); }
        catch (Exception e) when (e is KeyNotFoundException or ArtifactLoadException) { throw new InvalidArtifactException("saeId", e.Message); }
        var (record, concepts) = await vocabularies.GetAsync(vocabularyId, "vocabularyId");
        if (record.ModelId != target.Record.ModelId)
            throw new InvalidArtifactException("vocabularyId",
                $"vocabulary '{vocabularyId}' was embedded by model '{record.ModelId}' but SAE '{saeId}' reads model '{target.Record.ModelId}'");
        var model = target.Model;
        if (concepts.Dim != model.Model.Config.ProjectionDim)
            throw new InvalidArtifactException("vocabularyId", $"vocabulary '{vocabularyId}' has embeddings of width {concepts.Dim}, the model projects to {model.Model.Config.ProjectionDim}");
        return new SteeringSession(target, SteeringModel.Open(model, target.Autoencoder, target.Hook, concepts), images);
    }
}
