using Actors.Grains.Latents;

namespace Actors.Api.Pages;

/// <summary>
/// The analysis results a latent keeps in its view, each shown when present: the failure modes it was flagged for
/// (seed 000 Eq. 8, App. D.1) and the steering-strength sweep (seed 001 Sec. 6.1: S_f, D_f and the most moved
/// concepts per strength).
/// </summary>
internal static class LatentAnalysesHtml
{
    public static string Render(LatentView v) => FailureModes(v) + SteeringSweep(v);

    static string FailureModes(LatentView v)
    {
        if (v.FailureModes is not { Length: > 0 } modes) return "";
        return $"""
            <section aria-labelledby="failure-modes"><h2 id="failure-modes">Failure modes</h2>
            {Html.Table("Classes whose failure detection flagged this latent: images outside the class scored as the class, with this latent's relevance z > 3",
                ["Class", "Corpus", "Flagged images", "Max z", "Job", "Examples"],
                modes.Select(m => new[]
                {
                    Html.E(m.ClassLabel), Html.E(m.CorpusId), m.Samples.ToString(), m.MaxZScore is { } z ? Html.Num(z) : "—",
                    m.JobId is { } job ? $"<a href=\"/jobs/{Html.Seg(job)}\">{Html.E(job)}</a>" : "—",
                    string.Join(", ", m.ExampleImages.Select(Html.E)),
                }))}
            </section>
            """;
    }

    static string SteeringSweep(LatentView v)
    {
        if (v.SteeringSweep is not { } sweep) return "";
        return $"""
            <section aria-labelledby="steering"><h2 id="steering">Steering sweep</h2>
            <p class="muted">Job <a href="/jobs/{Html.Seg(sweep.JobId)}">{Html.E(sweep.JobId)}</a>, {sweep.Images} images of corpus {Html.E(sweep.CorpusId)},
            vocabulary {Html.E(sweep.VocabularyId)}, completed {Html.When(sweep.CompletedAt)}.</p>
            {Html.Table("Per strength: steerability S_f, concept distance D_f, the concepts whose probability moved most and the most probable steered ones",
                ["Strength", "S_f", "D_f", "Most moved concepts", "Most probable when steered"],
                sweep.Points.Select(p => new[]
                {
                    Html.Num(p.Strength), Html.Num(p.Steerability), Html.Num(p.ConceptDistance),
                    string.Join(", ", p.TopShifts.Take(5).Select(s => $"{Html.E(s.Concept)} ({(s.Change >= 0 ? "+" : "")}{Html.Num(s.Change, "0.###")})")),
                    string.Join(", ", p.TopSteered.Take(5).Select(s => Html.E(s.Concept))),
                }))}
            </section>
            """;
    }
}
