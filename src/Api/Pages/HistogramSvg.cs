using System.Globalization;
using System.Text;
using Actors.Grains.Latents;

namespace Actors.Api.Pages;

/// <summary>
/// A latent's activation histogram as inline SVG: the log-spaced bins of <see cref="LatentView.Histogram"/>
/// ([below range, bins of 10^(min + b/perDecade) .., above range]) from the first to the last non-empty one, bar heights
/// linear in counts, each bar titled with its range and count; the description states the totals for screen readers.
/// </summary>
internal static class HistogramSvg
{
    const int Width = 640, Height = 200, Left = 44, Bottom = 26, Top = 8;

    public static string Render(LatentView view)
    {
        var counts = view.Histogram;
        long total = counts.Sum();
        if (total == 0) return "<p class=\"empty\">No activations recorded yet.</p>";
        int first = Array.FindIndex(counts, c => c > 0), last = Array.FindLastIndex(counts, c => c > 0);
        long max = counts.Max();
        int bins = last - first + 1;
        double barWidth = (double)(Width - Left - 4) / bins;
        var bars = new StringBuilder();
        for (int slot = first; slot <= last; slot++)
        {
            if (counts[slot] == 0) continue;
            double h = (double)counts[slot] / max * (Height - Top - Bottom);
            double x = Left + (slot - first) * barWidth, y = Height - Bottom - h;
            bars.Append(Invariant($"<rect class=\"bar\" x=\"{x:F1}\" y=\"{y:F1}\" width=\"{Math.Max(barWidth - 1, 1):F1}\" height=\"{h:F1}\">"))
                .Append($"<title>{Html.E(Range(view, slot))}: {Html.Int(counts[slot])} activations</title></rect>");
        }
        int peak = Array.IndexOf(counts, max);
        string title = $"Activation histogram of latent {view.Latent}";
        string description = $"{Html.Int(total)} activations from {Range(view, first)} to {Range(view, last)}, most in {Range(view, peak)} ({Html.Int(max)}).";
        string id = $"histogram-{view.Latent}";
        return $"""
            <svg class="histogram" viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">
            <title id="{id}-title">{Html.E(title)}</title><desc id="{id}-desc">{Html.E(description)}</desc>
            <line x1="{Left}" y1="{Height - Bottom}" x2="{Width}" y2="{Height - Bottom}" stroke="#8a93a3"/>
            <line x1="{Left}" y1="{Top}" x2="{Left}" y2="{Height - Bottom}" stroke="#8a93a3"/>
            <text x="{Left - 4}" y="{Top + 10}" text-anchor="end">{Html.Int(max)}</text>
            <text x="{Left - 4}" y="{Height - Bottom}" text-anchor="end">0</text>
            <text x="{Left}" y="{Height - 8}">{Html.E(Edge(view, first, lower: true))}</text>
            <text x="{Width}" y="{Height - 8}" text-anchor="end">{Html.E(Edge(view, last, lower: false))}</text>
            <text x="{(Left + Width) / 2}" y="{Height - 8}" text-anchor="middle">activation (log scale)</text>
            {bars}
            </svg>
            <p class="muted">{Html.E(description)}</p>
            """;
    }

    /// <summary>The value range of a histogram slot (slot 0 is below the range, the last above it).</summary>
    static string Range(LatentView view, int slot) => slot == 0 ? $"below {Edge(view, 1, lower: true)}"
        : slot == view.Histogram.Length - 1 ? $"above {Edge(view, slot - 1, lower: false)}"
        : $"{Edge(view, slot, lower: true)}–{Edge(view, slot, lower: false)}";

    static string Edge(LatentView view, int slot, bool lower)
    {
        if (slot == 0) return lower ? "0" : Edge(view, 1, lower: true);
        if (slot == view.Histogram.Length - 1) return lower ? Edge(view, slot - 1, lower: false) : "∞";
        int bin = slot - 1 + (lower ? 0 : 1);
        double value = Math.Pow(10, view.HistogramMinExponent + (double)bin / view.HistogramBinsPerDecade);
        return value.ToString("G3", CultureInfo.InvariantCulture);
    }

    static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
