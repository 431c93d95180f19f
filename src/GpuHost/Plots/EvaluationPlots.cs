using System.Globalization;
using Actors.GpuHost.Jobs.Evaluations;
using Actors.Grains.Evaluations;

namespace Actors.GpuHost.Plots;

/// <summary>The PNG plot of each evaluation's result, as its job stores it (GET /api/jobs/{id}/plot).</summary>
public static class EvaluationPlots
{
    static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Seed 000 Fig. 3 (local deletion, global deletion, local insertion) and Fig. 8 (deletion by random references); the legend gives AUC ± SEM.</summary>
    public static byte[] Faithfulness(FaithfulnessReport report)
    {
        var x = Enumerable.Range(0, report.Steps + 1).Select(i => (double)i).ToArray();
        var ticks = Enumerable.Range(0, report.Steps + 1).Where(i => i % 2 == 0).Select(i => ((double)i, i.ToString(CultureInfo.InvariantCulture))).ToList();
        LinePanel Panel(string title, string verb, Func<MethodFaithfulness, FaithfulnessCurve> curve) => new(title, $"# LATENTS {verb}", "Y",
            [.. report.Methods.Select(m => new LineSeries($"{m.Label} {F(curve(m).Auc)}±{F(curve(m).AucStandardError)}", x, curve(m).Mean))], ticks);
        return LineChart.Render([
            Panel("DELETION (LOCAL)", "DELETED", m => m.LocalDeletion),
            Panel("DELETION (GLOBAL)", "DELETED", m => m.GlobalDeletion),
            Panel("INSERTION (LOCAL)", "INSERTED", m => m.LocalInsertion),
            Panel("DELETION (RANDOM)", "DELETED", m => m.RandomDeletion)]);
    }

    /// <summary>Flagged latents (red) and near misses (grey): on how many high-confidence non-class images z &gt; threshold.</summary>
    public static byte[] FailureModes(ClassFailureModes run)
    {
        var latents = run.Flagged.Concat(run.NearMisses).ToList();
        var red = new Rgb(214, 39, 40);
        return BarChart.Render(new BarPanel($"FAILURE MODES OF {run.ClassLabel}: {run.Flagged.Length} FLAGGED", "IMAGES",
            [$"IMAGES WITH Z > {F(run.Thresholds.ZThreshold, "0.#")} (RED: FLAGGED)"],
            [.. latents.Select(l => new BarGroup($"#{l.Latent}", [l.Samples.Length]))],
            run.Thresholds.MinSamples, $"FLAGGED FROM {run.Thresholds.MinSamples} IMAGES",
            [.. latents.Select((_, i) => i < run.Flagged.Length ? red : Rgb.Grey)]));
    }

    /// <summary>Seed 000 Fig. 5 for one class: spurious and valid AUC of the class prompt, the templated prompt and the linear probe per flagged latent.</summary>
    public static byte[] Probing(ProbingReport report) => BarChart.Render(new BarPanel(
        $"PROBING {report.ClassLabel}: {report.FailureModes.Length} FAILURE MODES", "AUROC",
        ["TEXT PROMPT SPURIOUS AUC", "TEXT PROMPT VALID AUC", "TEMPLATES SPURIOUS AUC", "TEMPLATES VALID AUC",
            "LINEAR PROBE SPURIOUS AUC", "LINEAR PROBE VALID AUC"],
        [.. report.FailureModes.Select(m => new BarGroup($"#{m.Latent}",
            [m.TextPrompt.SpuriousAuc, m.TextPrompt.ValidAuc ?? double.NaN, m.TemplatedPrompt.SpuriousAuc, m.TemplatedPrompt.ValidAuc ?? double.NaN,
                m.LinearProbe.SpuriousAuc, m.LinearProbe.ValidAuc ?? double.NaN]))],
        0.5, "CHANCE"));

    /// <summary>Seed 002 Fig. 5b: accuracy against k, masks on and off, per selection; the dashed line is the unedited model.</summary>
    public static byte[] Masking(MaskingReport report)
    {
        var x = Enumerable.Range(0, report.Ks.Length).Select(i => (double)i).ToArray();
        var ticks = report.Ks.Select((k, i) => ((double)i, k.ToString(CultureInfo.InvariantCulture))).ToList();
        LinePanel Panel(string mode) => new($"TOP-K MASKING: {mode.ToUpperInvariant()}", "K", "ACCURACY",
            [.. report.Curves.Where(c => c.Mode == mode).Select(c => new LineSeries(c.Selection.ToUpperInvariant(), x, [.. c.Points.Select(p => p.Accuracy)]))],
            ticks, report.OriginalAccuracy, $"ORIGINAL {F(report.OriginalAccuracy)}, SAE ALL {F(report.ReconstructionAccuracy)}");
        return LineChart.Render([Panel("on"), Panel("off")]);
    }

    /// <summary>Seed 002 Table 1 per class: how many latents are high on both backbones, high to low, low to high.</summary>
    public static byte[] SharedSae(SharedSaeReport report) => BarChart.Render(new BarPanel(
        $"SHARED SAE: MEAN {F(report.Mean.High, "0.0")} / {F(report.Mean.HighToLow, "0.0")} / {F(report.Mean.LowToHigh, "0.0")}", "LATENTS",
        ["HIGH", "HIGH TO LOW", "LOW TO HIGH"],
        [.. report.Classes.Select(c => new BarGroup(c.Label.Length > 8 ? c.Label[..8] : c.Label, [c.High.Length, c.HighToLow.Length, c.LowToHigh.Length]))]));
}
