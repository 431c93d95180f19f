using Actors.Tensors.Kernels;

namespace Actors.World.Training;

/// <summary>
/// A stack of residual blocks that keeps every block's input (the residual stream) for backward.
/// Residual(0) is the stack's input, Residual(L) its output; all (B,T,C).
/// </summary>
public sealed class TransformerTraining
{
    readonly ResidualBlockTraining[] _blocks;
    readonly int _width;
    float[][] _residual = [];
    int _b = -1, _t = -1;

    public TransformerTraining(IReadOnlyList<BlockParameters> blocks, int width, int heads, bool causal, float eps,
        ActivationKind activation = ActivationKind.QuickGelu)
    {
        _width = width;
        _blocks = blocks.Select(p => new ResidualBlockTraining(p, width, heads, causal, eps, activation)).ToArray();
    }

    public int Layers => _blocks.Length;

    /// <summary>Allocates (or reuses) the residual buffers for (b,t) and returns the input buffer to fill.</summary>
    public float[] Input(int b, int t)
    {
        if (b != _b || t != _t)
        {
            _residual = Enumerable.Range(0, _blocks.Length + 1).Select(_ => new float[b * t * _width]).ToArray();
            _b = b; _t = t;
        }
        return _residual[0];
    }

    /// <summary>Runs all blocks on Input(b,t); returns the output residual stream (B,T,C).</summary>
    public float[] Forward(float[] w)
    {
        for (int l = 0; l < _blocks.Length; l++) _blocks[l].Forward(w, _residual[l], _residual[l + 1], _b, _t);
        return _residual[^1];
    }

    /// <summary>dOutput (B,T,C): d loss/d output on entry, d loss/d input on exit (in place).</summary>
    public void Backward(float[] w, float[] g, Span<float> dOutput)
    {
        for (int l = _blocks.Length - 1; l >= 0; l--) _blocks[l].Backward(w, g, _residual[l], dOutput, _b, _t);
    }
}
