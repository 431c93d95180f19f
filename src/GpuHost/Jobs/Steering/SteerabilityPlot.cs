using System.Globalization;
using Actors.GpuHost.Plots;
using Actors.Grains.Steering;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// The histogram of S_f as a PNG, as seed 001 Fig. 6 shows it: bar heights on a log scale (log(1 + count)), the
/// thresholds γ (orange) and β (red) as vertical lines, the bins' range and the largest count written on the axes.
/// Drawn on the job plots' <see cref="Canvas"/>.
/// </summary>
public static class SteerabilityPlot
{
    const int Width = 640, Height = 360, Left = 70, Right = 20, Top = 50, Bottom = 50, Scale = 2;
    static readonly Rgb Ink = new(20, 20, 20), Bar = new(70, 110, 180), GammaInk = new(230, 140, 20), BetaInk = new(200, 30, 30);

    public static byte[] Render(SteerabilityReport report)
    {
        var canvas = new Canvas(Width, Height);
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom, bins = report.HistogramCounts.Length;
        double lo = report.HistogramEdges[0], hi = report.HistogramEdges[^1];
        long max = report.HistogramCounts.DefaultIfEmpty(0).Max();
        double logMax = Math.Log(1 + max);
        for (int b = 0; b < bins; b++)
        {
            int x0 = Left + b * plotW / bins, x1 = Left + (b + 1) * plotW / bins;
            int h = logMax > 0 ? (int)Math.Round(plotH * Math.Log(1 + report.HistogramCounts[b]) / logMax) : 0;
            Box(canvas, x0 + 1, Top + plotH - h, Math.Max(1, x1 - x0 - 2), h, Bar);
        }
        Box(canvas, Left, Top + plotH, plotW, 2, Ink);        // x axis
        Box(canvas, Left - 2, Top, 2, plotH + 2, Ink);        // y axis
        foreach (var (value, colour) in new[] { (report.Gamma, GammaInk), (report.Beta, BetaInk) })
            if (value >= lo && value <= hi && hi > lo)
                Box(canvas, Left + (int)Math.Round((value - lo) / (hi - lo) * plotW) - 1, Top, 2, plotH, colour);

        canvas.Text(Left, 12, "SF HISTOGRAM LOG SCALE", Ink, Scale);
        string gamma = $"GAMMA {Number(report.Gamma)}", beta = $"BETA {Number(report.Beta)}";
        canvas.Text(Width - Right - PlotFont.Width(beta, Scale), 12, beta, BetaInk, Scale);
        canvas.Text(Width - Right - PlotFont.Width(beta, Scale) - PlotFont.Width(gamma, Scale) - 20, 12, gamma, GammaInk, Scale);
        canvas.Text(Left, Top + plotH + 10, Number(lo), Ink, Scale);
        canvas.Text(Left + plotW - PlotFont.Width(Number(hi), Scale), Top + plotH + 10, Number(hi), Ink, Scale);
        canvas.Text(Left + plotW / 2 - 10, Top + plotH + 10, "SF", Ink, Scale);
        canvas.Text(4, Top, max.ToString(CultureInfo.InvariantCulture), Ink, Scale);
        canvas.Text(Left - 20, Top + plotH - 14, "0", Ink, Scale);
        return canvas.ToPng();
    }

    static void Box(Canvas canvas, int x, int y, int width, int height, Rgb colour) => canvas.Fill(x, y, x + width, y + height, colour);

    static string Number(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
