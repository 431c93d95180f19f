namespace Actors.GpuHost.Jobs.Labelling;

/// <summary>
/// Job "latent-labels": label SAE <paramref name="SaeId"/>'s latents against vocabulary <paramref name="VocabularyId"/> —
/// the <paramref name="Labels"/> best labels by s_j(t) (seed 000 Eq. 2) with the reference images' clarity, the
/// <paramref name="LogitLensConcepts"/> best concepts by Logit Lens (Eq. 3), and per concept its
/// <paramref name="LatentsPerConcept"/> best-aligned latents (those with s_j(t) &gt; 0).
/// </summary>
public sealed record LatentLabellingParameters(string SaeId, string VocabularyId, int Labels = 5, int LogitLensConcepts = 5,
    int LatentsPerConcept = 10);

/// <summary>
/// What a labelling run did: latents with reference images and those labelled (a latent none of whose images could be
/// read is not), distinct images embedded (from thumbnails where the original was gone; unreadable ones left out),
/// whether Logit Lens ran (only when the vocabulary shares the SAE's model: Eq. 3 compares in that model's output
/// space) and the concepts given aligned latents.
/// </summary>
public sealed record LatentLabellingResult(string SaeId, string VocabularyId, string LabellingModelId, int LatentsWithReferences,
    int LatentsLabelled, int ImagesEmbedded, int ImagesFromThumbnails, int ImagesUnreadable, bool LogitLens, string? LogitLensNote,
    int ConceptsWithAlignedLatents);
