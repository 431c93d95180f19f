using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>
/// A latent over one class's images (images where it did not fire count as 0): its image-level activation
/// distribution, and — when the ingestion computed Act×Grad relevance for the class prompt — its relevance
/// distribution R_j, the μ_j and σ_j against which seed 000 Eq. 8 scores an image: z = (R_j − μ_j)/σ_j (failure
/// detection's RelevanceMoments.ZScore, which also says what σ_j = 0 gives).
/// <see cref="RelevanceImages"/> is 0 when no relevance was collected.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ClassRelevance")]
public sealed record ClassRelevance([property: Id(0)] string Label, [property: Id(1)] long Images, [property: Id(2)] long FiringImages,
    [property: Id(3)] double MeanActivation, [property: Id(4)] double ActivationStdDev,
    [property: Id(5)] long RelevanceImages, [property: Id(6)] double MeanRelevance, [property: Id(7)] double RelevanceStdDev)
{
    /// <param name="classImages">The class's images (<see cref="IngestTotals.ImagesOf"/>).</param>
    /// <param name="relevanceImages">Those of them whose relevance was computed (<see cref="IngestTotals.RelevanceImagesOf"/>):
    /// the relevance moments count the others, and images of a corpus ingested without a vocabulary, nowhere.</param>
    public static ClassRelevance From(string label, ClassMoments activation, ClassMoments relevance, long classImages, long relevanceImages)
    {
        var firing = activation.Classes.GetValueOrDefault(label);
        var a = activation.ForClass(label, classImages);
        long attributed = Math.Max(relevanceImages, relevance.Classes.GetValueOrDefault(label).Count);
        var r = attributed > 0 ? relevance.ForClass(label, attributed) : default;
        return new ClassRelevance(label, a.Count, firing.Count, a.Mean, a.SampleStdDev, r.Count, r.Mean, r.SampleStdDev);
    }
}
