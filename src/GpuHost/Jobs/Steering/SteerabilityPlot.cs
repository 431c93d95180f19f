using System.Globalization;
using Actors.Grains.Steering;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Jobs.Steering;

/// <summary>
/// The histogram of S_f as a PNG, as seed 001 Fig. 6 shows it: bar heights on a log scale (log(1 + count)), the
/// thresholds γ (orange) and β (red) as vertical lines, the bins' range and the largest count written on the axes.
/// </summary>
public static class SteerabilityPlot
{
    const int Width = 640, Height = 360, Left = 70, Right = 20, Top = 50, Bottom = 50, Scale = 2;
    static readonly (byte, byte, byte) Ink = (20, 20, 20), Bar = (70, 110, 180), GammaInk = (230, 140, 20), BetaInk = (200, 30, 30);

    public static byte[] Render(SteerabilityReport report)
    {
        var image = RgbImage.Blank(Width, Height);
        PlotText.Fill(image, 0, 0, Width, Height, (255, 255, 255));
        int plotW = Width - Left - Right, plotH = Height - Top - Bottom, bins = report.HistogramCounts.Length;
        double lo = report.HistogramEdges[0], hi = report.HistogramEdges[^1];
        long max = report.HistogramCounts.DefaultIfEmpty(0).Max();
        double logMax = Math.Log(1 + max);
        for (int b = 0; b < bins; b++)
        {
            int x0 = Left + b * plotW / bins, x1 = Left + (b + 1) * plotW / bins;
            int h = logMax > 0 ? (int)Math.Round(plotH * Math.Log(1 + report.HistogramCounts[b]) / logMax) : 0;
            PlotText.Fill(image, x0 + 1, Top + plotH - h, Math.Max(1, x1 - x0 - 2), h, Bar);
        }
        PlotText.Fill(image, Left, Top + plotH, plotW, 2, Ink);        // x axis
        PlotText.Fill(image, Left - 2, Top, 2, plotH + 2, Ink);        // y axis
        foreach (var (value, colour) in new[] { (report.Gamma, GammaInk), (report.Beta, BetaInk) })
            if (value >= lo && value <= hi && hi > lo)
                PlotText.Fill(image, Left + (int)Math.Round((value - lo) / (hi - lo) * plotW) - 1, Top, 2, plotH, colour);

        PlotText.Draw(image, "SF HISTOGRAM LOG SCALE", Left, 12, Scale, Ink);
        string gamma = $"GAMMA {Number(report.Gamma)}", beta = $"BETA {Number(report.Beta)}";
        PlotText.Draw(image, beta, Width - Right - PlotText.Width(beta, Scale), 12, Scale, BetaInk);
        PlotText.Draw(image, gamma, Width - Right - PlotText.Width(beta, Scale) - PlotText.Width(gamma, Scale) - 20, 12, Scale, GammaInk);
        PlotText.Draw(image, Number(lo), Left, Top + plotH + 10, Scale, Ink);
        PlotText.Draw(image, Number(hi), Left + plotW - PlotText.Width(Number(hi), Scale), Top + plotH + 10, Scale, Ink);
        PlotText.Draw(image, "SF", Left + plotW / 2 - 10, Top + plotH + 10, Scale, Ink);
        PlotText.Draw(image, max.ToString(CultureInfo.InvariantCulture), 4, Top, Scale, Ink);
        PlotText.Draw(image, "0", Left - 20, Top + plotH - 14, Scale, Ink);
        return ImageCodec.EncodePng(image);
    }

    static string Number(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);
}
