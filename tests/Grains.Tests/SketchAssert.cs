using Actors.Grains.Sketches;

namespace Actors.Grains.Tests;

/// <summary>Equality of sketches: counts exactly, floating-point sums to a relative tolerance.</summary>
public static class SketchAssert
{
    public const double Tolerance = 1e-9;

    public static void Close(double expected, double actual, string what, double tol = Tolerance)
    {
        double scale = Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= tol * scale, $"{what}: expected {expected:R}, found {actual:R} (diff {Math.Abs(expected - actual):E2})");
    }

    public static void Equal(Moments e, Moments a, string what = "moments")
    {
        Assert.Equal(e.Count, a.Count);
        Close(e.Mean, a.Mean, what + ".mean");
        Close(e.M2, a.M2, what + ".M2");
    }

    public static void Equal(TopReferences e, TopReferences a)
    {
        Assert.Equal(e.Items.Select(r => (r.Image, r.Activation)), a.Items.Select(r => (r.Image, r.Activation)));
    }

    public static void Equal(LabelCounts e, LabelCounts a)
    {
        Assert.Equal(e.Labels.Keys.Order(), a.Labels.Keys.Order());
        foreach (var (k, v) in e.Labels)
        {
            Assert.Equal(v.Images, a.Labels[k].Images);
            Close(v.Activation, a.Labels[k].Activation, "label " + k);
        }
    }

    public static void Equal(ClassMoments e, ClassMoments a)
    {
        Assert.Equal(e.Classes.Keys.Order(), a.Classes.Keys.Order());
        foreach (var (k, v) in e.Classes) Equal(v, a.Classes[k], "class " + k);
    }

    public static void Equal(LatentSketch e, LatentSketch a)
    {
        Assert.Equal(e.Firing, a.Firing);
        Equal(e.Activation, a.Activation);
        Assert.Equal(e.Max, a.Max);
        Assert.Equal(e.Histogram, a.Histogram);
        Equal(e.References, a.References);
        Equal(e.Labels(), a.Labels());
        Equal(e.Classes, a.Classes);
        Equal(e.Relevance, a.Relevance);
    }
}
