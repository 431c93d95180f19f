using Actors.Grains.Latents;

namespace Actors.Api.Pages;

/// <summary>
/// A latent's labels on its page: semantic labels with their alignment s_j(t) (seed 000 Eq. 2; the assigned label is
/// the argmax), the corpus labels of the images it fired on (activation mass per label, seed 002 Eq. 3's entropy
/// beside them) and Logit Lens scores (seed 000 Eq. 3).
/// </summary>
internal static class LatentLabelsHtml
{
    const int Shown = 12;

    public static string Render(LatentView v) => Semantic(v) + Corpus(v) + LogitLens(v);

    static string Semantic(LatentView v)
    {
        if (v.SemanticLabels is not { } labeling)
            return "<h3>Semantic labels</h3><p class=\"empty\">No semantic labels yet: the labelling analysis has not run on this latent.</p>";
        string assigned = labeling.Assigned is { } a ? $"<p>Assigned label: <strong>{Html.E(a.Text)}</strong> (s = {Html.Num(a.Alignment, "0.####")})</p>" : "";
        return "<h3>Semantic labels</h3>" + assigned + Html.Table(
            $"Alignment s_j(t) of the mean reference-image embedding with each label of vocabulary {labeling.Vocabulary}, minus the empty prompt's",
            ["Label", "Alignment s_j(t)"],
            labeling.Labels.OrderByDescending(l => l.Alignment).Take(Shown).Select(l => new[] { Html.E(l.Text), Html.Num(l.Alignment, "0.####") }));
    }

    static string Corpus(LatentView v)
    {
        double mass = v.Labels.Values.Sum(m => m.Activation);
        return "<h3>Corpus labels</h3>" + Html.Table(
            $"Labels of the images the latent fired on, by activation mass (label entropy {v.LabelEntropy.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} nats)",
            ["Label", "Images", "Activation mass", "Share"],
            v.Labels.OrderByDescending(kv => kv.Value.Activation).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(Shown).Select(kv => new[]
            {
                Html.E(kv.Key), Html.Int(kv.Value.Images), Html.Num(kv.Value.Activation), mass > 0 ? Html.Percent(kv.Value.Activation / mass) : "–",
            }), "The images it fired on carry no labels.");
    }

    static string LogitLens(LatentView v)
    {
        if (v.LogitLens is not { } lens) return "<h3>Logit Lens</h3><p class=\"empty\">No Logit Lens scores yet.</p>";
        return "<h3>Logit Lens</h3>" + Html.Table($"Cosine of the latent's decoder direction, carried to the embedding, with each text of vocabulary {lens.Vocabulary}",
            ["Text", "Score"], lens.Scores.OrderByDescending(s => s.Score).Take(Shown).Select(s => new[] { Html.E(s.Text), Html.Num(s.Score, "0.####") }));
    }
}
