namespace Actors.Grains.Hosts;

/// <summary>
/// The relevance methods an image attribution can run, by the names the API takes: seed 000's Act×Grad (Eq. 5, with
/// bias and error terms as components of their own, App. B.1), its closed form (Eq. 31, only where it holds: the image
/// embedding or the class token after the last block) and the baselines of Sec. 5.1.
/// </summary>
public static class AttributionMethods
{
    public const string ActTimesGradient = "act-grad", ActTimesGradientClosedForm = "act-grad-eq31", ActTimesLogitLens = "act-logit-lens",
        LogitLens = "logit-lens", Energy = "energy", IntegratedGradients = "integrated-gradients", Random = "random";

    /// <summary>Every method, in the order results are reported.</summary>
    public static readonly string[] All =
        [ActTimesGradient, ActTimesGradientClosedForm, ActTimesLogitLens, LogitLens, Energy, IntegratedGradients, Random];
}
