using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class LayerNormForwardTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 3 }, { 7, 17 }, { 17, 33 }, { 33, 65 }, { 5, 769 }, { 100, 768 }, { 64, 1024 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardMatchesTwoPassDoubleReference(int rows, int dim)
    {
        // An offset mean checks the variance does not cancel catastrophically.
        var x = KernelAssert.Random(rows * 31 + dim, rows * dim, 3f);
        for (int i = 0; i < x.Length; i++) x[i] += 5f;
        var gamma = KernelAssert.Random(7, dim);
        var beta = KernelAssert.Random(8, dim);
        var (y, mean, rstd) = (new float[rows * dim], new float[rows], new float[rows]);
        var (yN, meanN, rstdN) = (new float[rows * dim], new float[rows], new float[rows]);
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, dim, 1e-5f);
        LayerNorm.ForwardNaive(x, gamma, beta, yN, meanN, rstdN, rows, dim, 1e-5f);
        KernelAssert.Close("mean", meanN, mean);
        KernelAssert.Close("rstd", rstdN, rstd, rtol: 1e-4f);
        KernelAssert.Close("y", yN, y, rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void ForwardWithoutSavedStatisticsGivesTheSameOutput()
    {
        int rows = 4, dim = 19;
        var x = KernelAssert.Random(1, rows * dim);
        var gamma = KernelAssert.Random(2, dim);
        var beta = KernelAssert.Random(3, dim);
        var saved = new float[rows * dim];
        var unsaved = new float[rows * dim];
        LayerNorm.Forward(x, gamma, beta, saved, new float[rows], new float[rows], rows, dim, 1e-5f);
        LayerNorm.Forward(x, gamma, beta, unsaved, [], [], rows, dim, 1e-5f);
        Assert.Equal(saved, unsaved);
    }

    [Fact]
    public void ForwardRejectsGammaOfWrongLength()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            LayerNorm.Forward(new float[8], new float[3], new float[4], new float[8], [], [], 2, 4, 1e-5f));
        Assert.Contains("gamma holds 3", ex.Message);
    }
}
