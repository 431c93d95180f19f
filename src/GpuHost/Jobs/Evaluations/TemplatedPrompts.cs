using Actors.GpuHost.Ingestion;

namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// Seed 000 App. D.2's text prober (2): the class name's text embedding averaged over three templates, "{c}",
/// "an image of a {c}" and "a {c}" (the paper's "object", "an image of a object", "a object").
/// <para>
/// The mean is CLIP's zero-shot prompt ensembling (Radford et al. 2021, Sec. 3.1.4; <see cref="Vision.Clip.ZeroShotClassifier"/>):
/// each template's embedding is L2-normalised, the unit vectors are averaged, and the mean is renormalised. Normalising
/// first gives the three templates equal weight — the text tower's raw outputs differ in norm from prompt to prompt, so
/// a raw mean would lean towards whichever template comes out longest. Renormalising changes no cosine, so no score
/// and no AUC; it keeps the prober a unit vector like the vocabulary's class prompts. App. D.2 says only "mean textual
/// embedding"; CLIP's own ensembling is the reading that does not depend on the tower's norms.
/// </para>
/// </summary>
public static class TemplatedPrompts
{
    public static readonly IReadOnlyList<string> Templates = ["{}", "an image of a {}", "a {}"];

    /// <summary>The templated prober of <paramref name="label"/> (proj, unit length) with <paramref name="model"/>'s text tower.</summary>
    public static float[] Embed(ConceptEncoder encoder, LoadedModel model, string label) => encoder.Embed(model, [label], Templates)[0];
}
