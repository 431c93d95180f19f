using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class LinearForwardTests
{
    public static TheoryData<int, int, int, bool> Shapes() => new()
    {
        { 1, 1, 1, true }, { 3, 7, 17, true }, { 17, 33, 65, false }, { 7, 769, 3, true },
        { 65, 17, 33, true }, { 3, 0, 4, true }, { 3, 5, 0, true }, { 0, 5, 4, false }, { 50, 64, 192, true }, { 2, 768, 96, false },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardMatchesNaiveLoops(int n, int c, int oc, bool bias)
    {
        var x = KernelAssert.Random(1, n * c);
        var w = KernelAssert.Random(2, oc * c);
        var b = bias ? KernelAssert.Random(3, oc) : [];
        var fast = new float[n * oc];
        var naive = new float[n * oc];
        Linear.Forward(x, w, b, fast, n, c, oc);
        Linear.ForwardNaive(x, w, b, naive, n, c, oc);
        KernelAssert.Close("y", naive, fast, atol: 1e-6f * MathF.Sqrt(c));
    }

    [Fact]
    public void ForwardEqualsSgemmNaiveProductPlusBias()
    {
        int n = 9, c = 33, oc = 17;
        var x = KernelAssert.Random(4, n * c);
        var w = KernelAssert.Random(5, oc * c);
        var b = KernelAssert.Random(6, oc);
        var expected = new float[n * oc];
        for (int i = 0; i < n; i++) b.CopyTo(expected, i * oc);
        Blas.SgemmNaive(false, true, n, oc, c, 1, x, c, w, c, 1, expected, oc);
        var y = new float[n * oc];
        Linear.Forward(x, w, b, y, n, c, oc);
        KernelAssert.Close("y", expected, y, atol: 1e-5f);
    }

    [Fact]
    public void ForwardRejectsWrongWeightShapeNamingTheTensor()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Linear.Forward(new float[6], new float[5], [], new float[4], 2, 3, 2));
        Assert.Contains("w holds 5", ex.Message);
        Assert.Contains("oc·c (2·3)", ex.Message);
    }
}
