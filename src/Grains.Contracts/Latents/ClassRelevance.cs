using Orleans;
using Actors.Grains.Sketches;

namespace Actors.Grains.Latents;

/// <summary>
/// A latent's image-level relevance distribution over one class's images (non-firing images count as 0):
/// the μ_c and σ̂_c against which seed 000 Eq. 8 scores a new image, z = (x − μ_c)/σ̂_c.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ClassRelevance")]
public sealed record ClassRelevance([property: Id(0)] string Label, [property: Id(1)] long Images, [property: Id(2)] long FiringImages, [property: Id(3)] double Mean, [property: Id(4)] double StdDev)
{
    public double ZScore(double relevance) => StdDev > 0 ? (relevance - Mean) / StdDev : 0;

    public static ClassRelevance From(string label, ClassMoments classes, long classImages)
    {
        var firing = classes.Classes.GetValueOrDefault(label);
        var all = classes.ForClass(label, classImages);
        return new ClassRelevance(label, all.Count, firing.Count, all.Mean, all.SampleStdDev);
    }
}
