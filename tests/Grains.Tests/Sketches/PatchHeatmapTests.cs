using Actors.Grains.Sketches;

namespace Actors.Grains.Tests.Sketches;

public sealed class PatchHeatmapTests
{
    [Fact]
    public void QuantizedCellsStayWithinHalfALevelOfThePeakAndThePeakIsExact()
    {
        var rng = new Random(7);
        var cells = Enumerable.Range(0, 49).Select(_ => rng.NextDouble() < 0.4 ? 0f : (float)(rng.NextDouble() * 13.7)).ToArray();
        var heatmap = PatchHeatmap.Quantize(7, cells);
        var values = heatmap.Values();
        float peak = cells.Max();
        Assert.Equal(peak, heatmap.Peak);
        Assert.Equal(peak, values.Max(), 5);
        for (int i = 0; i < cells.Length; i++)
        {
            Assert.True(Math.Abs(cells[i] - values[i]) <= peak / 510f * 1.0001f, $"cell {i}: {values[i]} for {cells[i]}");
            if (cells[i] == 0) Assert.Equal(0f, values[i]);
        }
    }

    [Fact]
    public void AnAllZeroOrNegativeGridQuantizesToZeros()
    {
        var heatmap = PatchHeatmap.Quantize(2, [0f, -1f, 0f, -3f]);
        Assert.Equal(0f, heatmap.Peak);
        Assert.Equal(new float[4], heatmap.Values());
    }

    [Fact]
    public void AGridThatIsNotWholeRowsIsRefusedWithItsShape()
    {
        var e = Assert.Throws<ArgumentException>(() => PatchHeatmap.Quantize(3, new float[7]));
        Assert.Contains("7 cells", e.Message);
        Assert.Contains("rows of 3", e.Message);
    }
}
