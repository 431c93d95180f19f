using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class SoftmaxForwardTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 7 }, { 17, 33 }, { 65, 50 }, { 7, 769 }, { 600, 50 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardMatchesDoubleReference(int rows, int cols)
    {
        var x = KernelAssert.Random(rows + 100 * cols, rows * cols, 8f);
        var naive = (float[])x.Clone();
        Softmax.Forward(x, rows, cols);
        Softmax.ForwardNaive(naive, rows, cols);
        KernelAssert.Close("y", naive, x, rtol: 1e-5f, atol: 1e-7f);
    }

    [Fact]
    public void ForwardIsStableForLargeLogitsAndZeroesNegativeInfinity()
    {
        float[] x = [1000f, 999f, float.NegativeInfinity];
        Softmax.Forward(x, 1, 3);
        Assert.Equal(0f, x[2]);
        Assert.Equal(1 / (1 + Math.Exp(-1)), x[0], 1e-6);
    }
}
