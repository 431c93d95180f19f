namespace Actors.World.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019, Algorithm 2; Kingma &amp; Ba 2015, Algorithm 1): Adam with bias-corrected
/// moments and decoupled weight decay p ← p − lr·wd·p applied only to tensors marked Decay (matrices), never to
/// gains, biases, embeddings or the logit scale. Moments live in flat buffers matching the parameter layout.
/// </summary>
public sealed class AdamW
{
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.98f;   // CLIP paper, Sec. 2.5 / Table: β2 = 0.98
    public float Epsilon { get; init; } = 1e-6f; // CLIP paper: ε = 1e-6
    public float WeightDecay { get; init; } = 0.2f;

    public float[] M { get; }
    public float[] V { get; }
    /// <summary>Steps taken so far (t in Algorithm 1).</summary>
    public int Step { get; set; }

    public AdamW(int parameterCount) { M = new float[parameterCount]; V = new float[parameterCount]; }

    public void Update(Span<float> parameters, ReadOnlySpan<float> gradients, IReadOnlyList<ParameterTensor> tensors, float learningRate)
    {
        if (parameters.Length != M.Length || gradients.Length != M.Length)
            throw new ArgumentException($"AdamW: expected {M.Length} parameters and gradients, found {parameters.Length} and {gradients.Length}");
        Step++;
        float c1 = 1f - MathF.Pow(Beta1, Step), c2 = 1f - MathF.Pow(Beta2, Step);
        foreach (var t in tensors)
        {
            float decay = t.Decay ? learningRate * WeightDecay : 0f;
            int end = t.Offset + t.Length;
            for (int i = t.Offset; i < end; i++)
            {
                float g = gradients[i];
                float m = M[i] = Beta1 * M[i] + (1 - Beta1) * g;
                float v = V[i] = Beta2 * V[i] + (1 - Beta2) * g * g;
                float mHat = m / c1, vHat = v / c2;
                parameters[i] -= decay * parameters[i] + learningRate * mHat / (MathF.Sqrt(vHat) + Epsilon);
            }
        }
    }
}
