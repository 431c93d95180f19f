namespace Actors.Tensors.Kernels;

/// <summary>Pointwise nonlinearities used by CLIP-style MLPs.</summary>
public enum ActivationKind
{
    /// <summary>x·σ(1.702x), OpenAI CLIP's approximation of GELU.</summary>
    QuickGelu,
    /// <summary>x·Φ(x) = ½x(1 + erf(x/√2)), the exact GELU (Hendrycks &amp; Gimpel 2016, eq. 1).</summary>
    Gelu,
    /// <summary>½x(1 + tanh(√(2/π)(x + 0.044715x³))), the tanh approximation of GELU.</summary>
    GeluTanh,
    /// <summary>max(x, 0).</summary>
    Relu,
}
