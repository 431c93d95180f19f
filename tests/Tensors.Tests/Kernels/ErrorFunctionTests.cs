using Actors.Tensors.Kernels;

namespace Actors.Tensors.Tests.Kernels;

/// <summary>erf/erfc against independent double references: Maclaurin series and Lentz's continued fraction.</summary>
public class ErrorFunctionTests
{
    const double Tolerance = 1e-9;   // documented accuracy is ~2e-10 relative; float needs 6e-8

    /// <summary>erf x = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n!(2n+1)); used for |x| ≤ 3 where cancellation costs ≤ 4 digits.</summary>
    static double ErfSeries(double x)
    {
        double term = x, sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= -x * x / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-18 * Math.Abs(sum)) break;
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>erfc x = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by modified Lentz, for x ≥ 2.</summary>
    static double ErfcContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, cc = x, dd = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n / 2.0;
            dd = x + a * dd; dd = Math.Abs(dd) < tiny ? tiny : dd; dd = 1 / dd;
            cc = x + a / cc; cc = Math.Abs(cc) < tiny ? tiny : cc;
            double delta = cc * dd;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    [Fact]
    public void ErfMatchesMaclaurinSeriesOnMinus3To3()
    {
        double worst = 0;
        for (int i = -3000; i <= 3000; i++)
        {
            double x = i / 1000.0 + 1e-4, expected = ErfSeries(x);
            worst = Math.Max(worst, Math.Abs(ErrorFunction.Erf(x) - expected) / Math.Abs(expected));
        }
        Assert.True(worst < Tolerance, $"max relative error {worst:E2}");
    }

    [Fact]
    public void ErfcMatchesContinuedFractionInTheTail()
    {
        double worst = 0;
        for (int i = 0; i <= 8000; i++)
        {
            double x = 2 + i / 1000.5, expected = ErfcContinuedFraction(x);   // up to 9.996; beyond 10 erfc is returned as 0
            worst = Math.Max(worst, Math.Abs(ErrorFunction.Erfc(x) - expected) / expected);
        }
        Assert.True(worst < Tolerance, $"max relative error {worst:E2}");
    }

    [Fact]
    public void ErfcOfNegativeArgumentsAndSmallArgumentsIsOneMinusErf()
    {
        for (double x = -4; x <= 2; x += 0.01)
        {
            double expected = x >= 2 ? ErfcContinuedFraction(x) : 1 - ErfSeries(Math.Min(x, 3));
            Assert.True(Math.Abs(ErrorFunction.Erfc(x) - expected) <= Tolerance * expected, $"erfc({x})");
        }
    }

    [Fact]
    public void NormalCdfHasKnownValues()
    {
        Assert.Equal(0.5, ErrorFunction.NormalCdf(0), 15);
        Assert.Equal(0.8413447460685429, ErrorFunction.NormalCdf(1), 9);
        Assert.Equal(0.9772498680518208, ErrorFunction.NormalCdf(2), 9);
        // Φ(−5) = 2.866515718791939e-7: relative accuracy in the lower tail matters for GELU of negative x.
        Assert.True(Math.Abs(ErrorFunction.NormalCdf(-5) / 2.866515718791939e-7 - 1) < 1e-9);
    }
}
