namespace Actors.GpuHost.Plots;

/// <summary>One curve: points (X[i], Y[i]) joined by lines; series i of a panel gets colour <see cref="Rgb.Series"/>(i).</summary>
public sealed record LineSeries(string Label, double[] X, double[] Y);

/// <summary>One panel of a line chart; <paramref name="ReferenceY"/> draws a dashed horizontal line (e.g. an unedited model's score).</summary>
public sealed record LinePanel(string Title, string XLabel, string YLabel, IReadOnlyList<LineSeries> Series,
    IReadOnlyList<(double At, string Label)>? XTicks = null, double? ReferenceY = null, string? ReferenceLabel = null);

/// <summary>Line charts: panels side by side, each with its legend (the series' labels, e.g. "ACT×GRAD AUC 0.31±0.01") below it.</summary>
public static class LineChart
{
    const int PanelWidth = 380, PlotWidth = 300, PlotHeight = 200, LeftMargin = 60, TopMargin = 34, LegendTop = 42, LegendRow = 11;

    public static byte[] Render(IReadOnlyList<LinePanel> panels)
    {
        if (panels.Count == 0) throw new ArgumentException("a chart needs at least one panel");
        int legendRows = panels.Max(p => p.Series.Count + (p.ReferenceLabel is null ? 0 : 1));
        var canvas = new Canvas(PanelWidth * panels.Count, TopMargin + PlotHeight + LegendTop + legendRows * LegendRow + 8);
        for (int p = 0; p < panels.Count; p++) Draw(canvas, panels[p], p * PanelWidth);
        return canvas.ToPng();
    }

    static void Draw(Canvas canvas, LinePanel panel, int offset)
    {
        var xs = panel.Series.SelectMany(s => s.X).ToList();
        var ys = panel.Series.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        if (panel.ReferenceY is { } r) ys.Add(r);
        if (xs.Count == 0 || ys.Count == 0)
        {
            canvas.CentredText(offset + PanelWidth / 2, TopMargin + PlotHeight / 2, $"{panel.Title}: NO DATA", Rgb.Black);
            return;
        }
        var yTicks = Ticks.Nice(ys.Min(), ys.Max());
        var xTicks = panel.XTicks ?? Ticks.Nice(xs.Min(), xs.Max()).Select(v => (v, Ticks.Format(v))).ToList();
        double xMin = Math.Min(xs.Min(), xTicks.Min(t => t.At)), xMax = Math.Max(xs.Max(), xTicks.Max(t => t.At));
        var area = new PlotArea(canvas, offset + LeftMargin, TopMargin, PlotWidth, PlotHeight, xMin, xMax, yTicks[0], yTicks[^1]);
        area.DrawAxes(panel.Title, panel.XLabel, panel.YLabel, xTicks, yTicks);
        if (panel.ReferenceY is { } reference) canvas.DashedLine(area.Left, area.Right, area.Y(reference), Rgb.Black);
        for (int s = 0; s < panel.Series.Count; s++)
        {
            var series = panel.Series[s];
            if (series.X.Length != series.Y.Length) throw new ArgumentException($"series '{series.Label}': {series.X.Length} x values, {series.Y.Length} y values");
            var colour = Rgb.Series(s);
            for (int i = 0; i < series.X.Length; i++)
            {
                if (!double.IsFinite(series.Y[i])) continue;
                int x = area.X(series.X[i]), y = area.Y(series.Y[i]);
                canvas.Fill(x - 2, y - 2, x + 3, y + 3, colour);
                if (i + 1 < series.X.Length && double.IsFinite(series.Y[i + 1]))
                    canvas.Line(x, y, area.X(series.X[i + 1]), area.Y(series.Y[i + 1]), colour, 2);
            }
        }
        int row = area.Bottom + LegendTop;
        for (int s = 0; s < panel.Series.Count; s++, row += LegendRow)
        {
            canvas.Fill(area.Left, row, area.Left + 12, row + 7, Rgb.Series(s));
            canvas.Text(area.Left + 18, row, panel.Series[s].Label, Rgb.Black);
        }
        if (panel.ReferenceLabel is { } label)
        {
            canvas.DashedLine(area.Left, area.Left + 12, row + 3, Rgb.Black);
            canvas.Text(area.Left + 18, row, label, Rgb.Black);
        }
    }
}
