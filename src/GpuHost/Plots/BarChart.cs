namespace Actors.GpuHost.Plots;

/// <summary>One group of bars (e.g. one class or one latent): Values[i] is series i's bar.</summary>
public sealed record BarGroup(string Label, double[] Values);

/// <summary>
/// A grouped bar chart: series labels name the bars of each group (colour <see cref="Rgb.Series"/>(i), or
/// <paramref name="Colours"/> per group when given); <paramref name="ReferenceY"/> draws a dashed line (e.g. a threshold).
/// </summary>
public sealed record BarPanel(string Title, string YLabel, IReadOnlyList<string> SeriesLabels, IReadOnlyList<BarGroup> Groups,
    double? ReferenceY = null, string? ReferenceLabel = null, IReadOnlyList<Rgb>? GroupColours = null);

public static class BarChart
{
    const int BarWidth = 10, GroupGap = 14, LeftMargin = 60, TopMargin = 34, PlotHeight = 200, LegendTop = 34, LegendRow = 11, MinPlotWidth = 300;

    public static byte[] Render(BarPanel panel)
    {
        int bars = Math.Max(1, panel.SeriesLabels.Count);
        int plotWidth = Math.Max(MinPlotWidth, panel.Groups.Count * (bars * BarWidth + GroupGap) + GroupGap);
        int legendRows = panel.SeriesLabels.Count + (panel.ReferenceLabel is null ? 0 : 1);
        var canvas = new Canvas(LeftMargin + plotWidth + 20, TopMargin + PlotHeight + LegendTop + legendRows * LegendRow + 8);
        var values = panel.Groups.SelectMany(g => g.Values).Where(double.IsFinite).Append(0.0).ToList();
        if (panel.ReferenceY is { } r) values.Add(r);
        var yTicks = Ticks.Nice(values.Min(), values.Max() > values.Min() ? values.Max() : values.Min() + 1);
        var area = new PlotArea(canvas, LeftMargin, TopMargin, plotWidth, PlotHeight, 0, plotWidth - 1, yTicks[0], yTicks[^1]);
        var xTicks = panel.Groups.Select((g, i) => ((double)GroupStart(i, bars) + bars * BarWidth / 2.0, g.Label)).ToList();
        area.DrawAxes(panel.Title, "", panel.YLabel, xTicks, yTicks);
        if (panel.Groups.Count == 0) canvas.CentredText((area.Left + area.Right) / 2, TopMargin + PlotHeight / 2, "NO DATA", Rgb.Black);
        for (int g = 0; g < panel.Groups.Count; g++)
        {
            var group = panel.Groups[g];
            for (int b = 0; b < group.Values.Length; b++)
            {
                if (!double.IsFinite(group.Values[b])) continue;
                int x = area.X(GroupStart(g, bars) + b * BarWidth), zero = area.Y(0), top = area.Y(group.Values[b]);
                var colour = panel.GroupColours is { } colours ? colours[g] : Rgb.Series(b);
                canvas.Fill(x, Math.Min(zero, top), x + BarWidth - 1, Math.Max(zero, top) + 1, colour);
            }
        }
        if (panel.ReferenceY is { } reference) canvas.DashedLine(area.Left, area.Right, area.Y(reference), Rgb.Black);
        int row = area.Bottom + LegendTop;
        for (int s = 0; s < panel.SeriesLabels.Count; s++, row += LegendRow)
        {
            if (panel.GroupColours is null) canvas.Fill(area.Left, row, area.Left + 12, row + 7, Rgb.Series(s));
            canvas.Text(area.Left + 18, row, panel.SeriesLabels[s], Rgb.Black);
        }
        if (panel.ReferenceLabel is { } label)
        {
            canvas.DashedLine(area.Left, area.Left + 12, row + 3, Rgb.Black);
            canvas.Text(area.Left + 18, row, label, Rgb.Black);
        }
        return canvas.ToPng();
    }

    static int GroupStart(int group, int bars) => GroupGap + group * (bars * BarWidth + GroupGap);
}
