namespace Actors.Analysis.Relevance;

/// <summary>
/// A way to score how much each active SAE latent contributes to y(x, t) for one image and prompt: seed 000's
/// Act×Grad (Eq. 5) and the baselines of its Sec. 5.1 / App. B.2.
/// </summary>
public interface ILatentRelevance
{
    /// <summary>The method's name as seed 000 Fig. 3 labels it.</summary>
    string Name { get; }

    LatentRelevance Attribute(AttributionInput input);
}
