namespace Actors.World.Training;

/// <summary>Clip gradients by their global L2 norm (Pascanu et al. 2013, Algorithm 1).</summary>
public static class GradientClipping
{
    /// <summary>Scales g by maxNorm/‖g‖ when ‖g‖ &gt; maxNorm. Returns the norm before clipping.</summary>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        double sum = 0;
        foreach (float g in gradients) sum += (double)g * g;
        float norm = (float)Math.Sqrt(sum);
        if (norm > maxNorm && norm > 0)
        {
            float s = maxNorm / norm;
            for (int i = 0; i < gradients.Length; i++) gradients[i] *= s;
        }
        return norm;
    }
}
