using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;

namespace Actors.Vision.Tests.Clip;

/// <summary>
/// A backend that behaves like a device backend towards model code: it refuses direct host access, so values
/// move only through explicit copies. Computation is delegated to the CPU backend.
/// </summary>
internal sealed class HostlessBackend : IComputeBackend
{
    readonly CpuBackend cpu = new();
    public int CopiesToHost { get; private set; }
    public int CopiesFromHost { get; private set; }

    public string Name => "hostless";
    public Tensor Allocate(params int[] shape) => cpu.Allocate(shape);
    public Tensor FromHost(float[] data, params int[] shape) => cpu.FromHost((float[])data.Clone(), shape);
    public void CopyToHost(Tensor source, Span<float> destination) { CopiesToHost++; cpu.CopyToHost(source, destination); }
    public void CopyFromHost(ReadOnlySpan<float> source, Tensor destination) { CopiesFromHost++; cpu.CopyFromHost(source, destination); }
    public bool TryGetHostSpan(Tensor tensor, out Span<float> values) { values = default; return false; }
    public void Linear(Tensor x, Tensor weight, Tensor? bias, Tensor y) => cpu.Linear(x, weight, bias, y);
    public void LayerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, float eps) => cpu.LayerNorm(x, gamma, beta, y, eps);
    public void Attention(Tensor qkv, Tensor output, int batch, int tokens, int heads, bool causal) => cpu.Attention(qkv, output, batch, tokens, heads, causal);
    public void Activation(ActivationKind kind, Tensor x, Tensor y) => cpu.Activation(kind, x, y);
    public void Add(Tensor a, Tensor b, Tensor y) => cpu.Add(a, b, y);
    public void AddInPlace(Tensor y, Tensor x) => cpu.AddInPlace(y, x);
    public void AddRepeated(Tensor y, Tensor x) => cpu.AddRepeated(y, x);
    public void Scale(Tensor x, float s) => cpu.Scale(x, s);
    public void Softmax(Tensor x) => cpu.Softmax(x);
    public void CopyRows(Tensor source, ReadOnlySpan<int> sourceRows, Tensor destination, ReadOnlySpan<int> destinationRows) => cpu.CopyRows(source, sourceRows, destination, destinationRows);
    public void GatherRows(Tensor table, ReadOnlySpan<int> rows, Tensor destination) => cpu.GatherRows(table, rows, destination);
    public void ExtractPatches(Tensor images, int patch, Tensor patches) => cpu.ExtractPatches(images, patch, patches);
    public void TopK(Tensor x, int k, Span<int> indices, Span<float> values) => cpu.TopK(x, k, indices, values);
}
