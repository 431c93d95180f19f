using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class TopKTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 3, 7, 3 }, { 17, 33, 1 }, { 5, 65, 65 }, { 7, 769, 32 }, { 40, 4096, 64 }, { 2, 17, 0 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void RowsMatchesFullSortReference(int rows, int cols, int k)
    {
        var x = KernelAssert.Random(rows * cols + k, rows * cols);
        // Duplicate values exercise the tie rule (smaller index first).
        for (int i = 0; i < x.Length; i += 5) x[i] = MathF.Round(x[i] * 4) / 4;
        var (idx, val) = (new int[rows * k], new float[rows * k]);
        var (idxN, valN) = (new int[rows * k], new float[rows * k]);
        TopK.Rows(x, rows, cols, k, idx, val);
        TopK.RowsNaive(x, rows, cols, k, idxN, valN);
        Assert.Equal(idxN, idx);
        Assert.Equal(valN, val);
    }

    [Fact]
    public void RowsRanksNaNBelowNumbers()
    {
        float[] x = [float.NaN, 1f, -2f, float.NaN, 3f];
        var (idx, val) = (new int[3], new float[3]);
        TopK.Rows(x, 1, 5, 3, idx, val);
        Assert.Equal([4, 1, 2], idx);

        // A long row takes the vector scan; NaNs in the first k fill the heap root and must be displaced.
        var longRow = KernelAssert.Random(3, 100);
        longRow[0] = longRow[1] = longRow[50] = float.NaN;
        var (idxL, valL) = (new int[4], new float[4]);
        TopK.Rows(longRow, 1, 100, 4, idxL, valL);
        var expected = Enumerable.Range(0, 100).Where(i => !float.IsNaN(longRow[i]))
            .OrderByDescending(i => longRow[i]).ThenBy(i => i).Take(4).ToArray();
        Assert.Equal(expected, idxL);
    }

    [Fact]
    public void RowsRejectsKLargerThanColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => TopK.Rows(new float[4], 1, 4, 5, new int[5], new float[5]));
        Assert.Contains("k is 5", ex.Message);
    }
}
