namespace Actors.Analysis.Gradients;

/// <summary>
/// The image-text score y(x, t) = x/‖x‖ · t/‖t‖ (seed 000 Eq. 1 and 4): CLIP's cosine similarity between an image
/// embedding x and a text embedding t, both (proj), not normalised. Accumulated in double.
/// </summary>
public static class ImageTextScore
{
    /// <summary>y(x, t) (seed 000 Eq. 4); 0 when either vector is zero.</summary>
    public static double Cosine(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        Check(x, t);
        double xt = 0, xx = 0, tt = 0;
        for (int i = 0; i < x.Length; i++) { xt += (double)x[i] * t[i]; xx += (double)x[i] * x[i]; tt += (double)t[i] * t[i]; }
        return xx > 0 && tt > 0 ? xt / Math.Sqrt(xx * tt) : 0;
    }

    /// <summary>
    /// ∂y/∂x = (t̂ − y·x̂) / ‖x‖, written to <paramref name="gradient"/> (proj); returns y. The closed form of seed 000
    /// Eq. 27 (there for ∂x/∂a_j = v_j; here for every coordinate). Zero gradient at x = 0.
    /// </summary>
    public static double Gradient(ReadOnlySpan<float> x, ReadOnlySpan<float> t, Span<float> gradient)
    {
        Check(x, t);
        if (gradient.Length != x.Length) throw new ArgumentException($"gradient holds {gradient.Length} floats, x has {x.Length}");
        double xt = 0, xx = 0, tt = 0;
        for (int i = 0; i < x.Length; i++) { xt += (double)x[i] * t[i]; xx += (double)x[i] * x[i]; tt += (double)t[i] * t[i]; }
        if (xx == 0 || tt == 0) { gradient.Clear(); return 0; }
        double xn = Math.Sqrt(xx), tn = Math.Sqrt(tt), y = xt / (xn * tn);
        for (int i = 0; i < x.Length; i++) gradient[i] = (float)((t[i] / tn - y * x[i] / xn) / xn);
        return y;
    }

    static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> t)
    {
        if (x.Length != t.Length || x.Length == 0)
            throw new ArgumentException($"image embedding ({x.Length}) and text embedding ({t.Length}) must have the same, non-zero length");
    }
}
