using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class ElementwiseTests
{
    [Theory]
    [InlineData(1, 1)] [InlineData(3, 7)] [InlineData(17, 33)] [InlineData(5, 769)]
    public void EveryOperationMatchesItsScalarLoop(int rows, int cols)
    {
        int n = rows * cols;
        var a = KernelAssert.Random(1, n);
        var b = KernelAssert.Random(2, n);
        var bias = KernelAssert.Random(3, cols);

        var (y, yN) = (new float[n], new float[n]);
        Elementwise.Add(a, b, y);
        Elementwise.AddNaive(a, b, yN);
        KernelAssert.Close("add", yN, y, 0, 0);

        Elementwise.AddInPlace(y, a);
        Elementwise.AddInPlaceNaive(yN, a);
        KernelAssert.Close("addInPlace", yN, y, 0, 0);

        Elementwise.Scale(y, 0.3f);
        Elementwise.ScaleNaive(yN, 0.3f);
        KernelAssert.Close("scale", yN, y, 0, 0);

        Elementwise.AddRowBias(y, bias, rows, cols);
        Elementwise.AddRowBiasNaive(yN, bias, rows, cols);
        KernelAssert.Close("addRowBias", yN, y, 0, 0);
    }

    [Fact]
    public void AddRowBiasRejectsBiasOfWrongLength()
    {
        var ex = Assert.Throws<ArgumentException>(() => Elementwise.AddRowBias(new float[6], new float[2], 2, 3));
        Assert.Contains("bias holds 2", ex.Message);
    }
}
