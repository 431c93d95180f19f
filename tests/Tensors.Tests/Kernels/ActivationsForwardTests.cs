using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

public class ActivationsForwardTests
{
    public static TheoryData<ActivationKind, int> Cases()
    {
        var data = new TheoryData<ActivationKind, int>();
        foreach (var kind in Enum.GetValues<ActivationKind>())
            foreach (int n in new[] { 1, 3, 7, 17, 33, 65, 769, 2048 * 3 + 5, 100_000 })
                data.Add(kind, n);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void ForwardMatchesDoubleFormula(ActivationKind kind, int n)
    {
        var x = KernelAssert.Random(n, n, 6f);
        var y = new float[n];
        var yN = new float[n];
        Activations.Forward(kind, x, y);
        Activations.ForwardNaive(kind, x, yN);
        KernelAssert.Close($"{kind}", yN, y, rtol: 2e-6f, atol: 1e-7f);
    }

    [Theory, MemberData(nameof(Cases))]
    public void ForwardInPlaceEqualsOutOfPlace(ActivationKind kind, int n)
    {
        var x = KernelAssert.Random(n + 1, n, 4f);
        var y = new float[n];
        Activations.Forward(kind, x, y);
        Activations.Forward(kind, x, x);
        Assert.Equal(y, x);
    }

    [Fact]
    public void GeluMatchesScalarErfAcrossBranchBoundariesAndExtremes()
    {
        // ±√2 is where the vector code switches from the small- to the large-argument interpolant.
        float[] x = [-3e38f, -40f, -12f, -9f, -1.4142137f, -1.4142135f, -1e-3f, 0f, 1e-30f, 1.4142135f, 1.4142137f, 3f, 9f, 40f, 3e38f,
            -0.5f, 0.25f, -2.5f];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Activations.Forward(ActivationKind.Gelu, x, y);
        Activations.Backward(ActivationKind.Gelu, x, Enumerable.Repeat(1f, x.Length).ToArray(), dx);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal((float)(x[i] * ErrorFunction.NormalCdf(x[i])), y[i]);
            Assert.Equal((float)Activations.Derivative(ActivationKind.Gelu, x[i]), dx[i]);
        }
    }

    [Fact]
    public void GeluHasTheKnownValuesOfXTimesTheNormalCdfAndItsOddPartIsHalfX()
    {
        // Φ(1) = 0.8413447460685429 and Φ(2) = 0.9772498680518208 (tables; Python math.erf agrees). Φ(x) + Φ(−x) = 1,
        // so gelu(x) − gelu(−x) = x, and gelu'(x) + gelu'(−x) = 1 (Hendrycks & Gimpel 2016, GELU = x·Φ(x)).
        float[] x = [1f, -1f, 2f, 0.5f];
        var y = new float[x.Length];
        Activations.Forward(ActivationKind.Gelu, x, y);
        Assert.Equal(0.8413447460685429f, y[0]);
        Assert.Equal(-0.15865525393145707f, y[1]);
        Assert.Equal(1.9544997361036416f, y[2]);
        Assert.Equal(0.34573123063700656f, y[3]);

        var rng = new Random(7);
        var z = Enumerable.Range(0, 999).Select(_ => (float)(rng.NextDouble() * 12 - 6)).ToArray();
        var minusZ = z.Select(v => -v).ToArray();
        float[] gz = new float[z.Length], gMinus = new float[z.Length], dz = new float[z.Length], dMinus = new float[z.Length];
        var ones = Enumerable.Repeat(1f, z.Length).ToArray();
        Activations.Forward(ActivationKind.Gelu, z, gz);
        Activations.Forward(ActivationKind.Gelu, minusZ, gMinus);
        Activations.Backward(ActivationKind.Gelu, z, ones, dz);
        Activations.Backward(ActivationKind.Gelu, minusZ, ones, dMinus);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(Math.Abs(gz[i] - gMinus[i] - z[i]) <= 1e-6 * Math.Max(1, Math.Abs(z[i])), $"gelu({z[i]}) − gelu({-z[i]})");
            Assert.True(Math.Abs(dz[i] + dMinus[i] - 1) <= 1e-6, $"gelu'({z[i]}) + gelu'({-z[i]})");
        }
    }

    [Fact]
    public void GeluHasRelativeAccuracyOnItsNegativeTail()
    {
        // gelu(−5) = −5·Φ(−5); a 1 + erf form would lose every digit here.
        float[] x = [-5f];
        var y = new float[1];
        Activations.Forward(ActivationKind.Gelu, x, y);
        Assert.Equal(-5 * 2.866515718791939e-7, y[0], 1e-12);
    }
}
