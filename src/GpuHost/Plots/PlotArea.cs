using System.Globalization;

namespace Actors.GpuHost.Plots;

/// <summary>
/// The data rectangle of one plot on a canvas: maps data coordinates to pixels (y up) and draws the axes with ticks and
/// labels around it (y tick labels to the left, x tick labels and the x label below, the title above).
/// </summary>
public sealed class PlotArea(Canvas canvas, int left, int top, int width, int height, double xMin, double xMax, double yMin, double yMax)
{
    public Canvas Canvas { get; } = canvas;
    public int Left { get; } = left;
    public int Top { get; } = top;
    public int Right => Left + width - 1;
    public int Bottom => Top + height - 1;

    public int X(double v) => Left + (int)Math.Round((v - xMin) / Span(xMin, xMax) * (width - 1));
    public int Y(double v) => Bottom - (int)Math.Round((v - yMin) / Span(yMin, yMax) * (height - 1));

    public void DrawAxes(string title, string xLabel, string yLabel, IEnumerable<(double At, string Label)> xTicks, IEnumerable<double> yTicks)
    {
        foreach (double v in yTicks)
        {
            int y = Y(v);
            Canvas.Line(Left, y, Right, y, Rgb.LightGrey);
            Canvas.Line(Left - 3, y, Left, y, Rgb.Black);
            string label = Ticks.Format(v);
            Canvas.Text(Left - 5 - PlotFont.Width(label), y - PlotFont.GlyphHeight / 2, label, Rgb.Black);
        }
        foreach (var (at, label) in xTicks)
        {
            int x = X(at);
            Canvas.Line(x, Bottom, x, Bottom + 3, Rgb.Black);
            Canvas.CentredText(x, Bottom + 6, label, Rgb.Black);
        }
        Canvas.Line(Left, Top, Left, Bottom, Rgb.Black);
        Canvas.Line(Left, Bottom, Right, Bottom, Rgb.Black);
        Canvas.CentredText((Left + Right) / 2, Top - 16, title, Rgb.Black);
        Canvas.CentredText((Left + Right) / 2, Bottom + 18, xLabel, Rgb.Black);
        Canvas.Text(Left - 40, Top - 28, yLabel, Rgb.Grey);
    }

    static double Span(double min, double max) => max > min ? max - min : 1;
}

/// <summary>Axis ticks at 1, 2 or 5 times a power of ten, and their labels.</summary>
public static class Ticks
{
    /// <summary>About <paramref name="target"/> round values covering [min, max]; the range they span is [first, last].</summary>
    public static double[] Nice(double min, double max, int target = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) throw new ArgumentException($"tick range [{min}, {max}] is not finite");
        if (max <= min) { max = min + (min == 0 ? 1 : Math.Abs(min) * 0.1); min -= max - min; }
        double raw = (max - min) / Math.Max(1, target), power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2.0, 5.0, 10.0 }.Select(m => m * power).First(s => s >= raw);
        double first = Math.Floor(min / step) * step, last = Math.Ceiling(max / step) * step;
        int n = (int)Math.Round((last - first) / step);
        return Enumerable.Range(0, n + 1).Select(i => Math.Round(first + i * step, 12)).ToArray();
    }

    public static string Format(double v) => Math.Abs(v) < 1e-12 ? "0" : v.ToString("0.###", CultureInfo.InvariantCulture);
}
