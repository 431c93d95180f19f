using Actors.Tensors.Kernels;

namespace Actors.Tensors.Backends;

/// <summary>
/// Host backend: tensors are managed float arrays, products go to OpenBLAS through the kernels in
/// <see cref="Actors.Tensors.Kernels"/>, everything else to their SIMD kernels. Keeps one scratch buffer for
/// attention probabilities so repeated forwards do not allocate.
/// </summary>
public sealed class CpuBackend : IComputeBackend
{
    float[] attentionScratch = [];

    public string Name => "cpu";

    public Tensor Allocate(params int[] shape)
    {
        long length = 1;
        foreach (int d in shape) length *= d;
        if (length > Array.MaxLength) throw new ArgumentException($"tensor [{string.Join(",", shape)}] exceeds one array");
        return new Tensor(this, new float[length], 0, shape);
    }

    public Tensor FromHost(float[] data, params int[] shape)
    {
        var t = new Tensor(this, data, 0, shape);
        if (t.Length != data.Length)
            throw new ArgumentException($"{data.Length} values do not fill shape [{t.ShapeText}] ({t.Length})");
        return t;
    }

    /// <summary>The values of a CPU tensor (no copy).</summary>
    public Span<float> Span(Tensor t)
    {
        if (!ReferenceEquals(t.Backend, this) || t.Storage is not float[] array)
            throw new ArgumentException($"{t} does not belong to this CPU backend");
        return array.AsSpan(checked((int)t.Offset), checked((int)t.Length));
    }

    public bool TryGetHostSpan(Tensor tensor, out Span<float> values)
    {
        values = Span(tensor);
        return true;
    }

    public void CopyToHost(Tensor source, Span<float> destination)
    {
        if (destination.Length != source.Length)
            throw new ArgumentException($"host buffer holds {destination.Length} values, {source} holds {source.Length}");
        Span(source).CopyTo(destination);
    }

    public void CopyFromHost(ReadOnlySpan<float> source, Tensor destination)
    {
        if (source.Length != destination.Length)
            throw new ArgumentException($"host buffer holds {source.Length} values, {destination} holds {destination.Length}");
        source.CopyTo(Span(destination));
    }

    public void Linear(Tensor x, Tensor weight, Tensor? bias, Tensor y)
    {
        if (weight.Shape.Length != 2) throw new ArgumentException($"linear weight must be (OC,C), got [{weight.ShapeText}]");
        int oc = weight.Shape[0], c = weight.Shape[1];
        if (x.Columns != c) throw new ArgumentException($"linear input has {x.Columns} columns, weight [{weight.ShapeText}] needs {c}");
        if (y.Columns != oc || y.Rows != x.Rows)
            throw new ArgumentException($"linear output is [{y.ShapeText}], needs ({x.Rows},{oc})");
        if (bias != null && bias.Length != oc) throw new ArgumentException($"linear bias has {bias.Length} values, needs {oc}");
        Kernels.Linear.Forward(Span(x), Span(weight), bias == null ? default : Span(bias), Span(y), x.Rows, c, oc);
    }

    public void LayerNorm(Tensor x, Tensor gamma, Tensor beta, Tensor y, float eps)
    {
        int dim = x.Columns;
        if (gamma.Length != dim || beta.Length != dim)
            throw new ArgumentException($"layer norm over {dim} columns got gamma {gamma.Length}, beta {beta.Length}");
        SameLength("layer norm", x, y);
        Kernels.LayerNorm.Forward(Span(x), Span(gamma), Span(beta), Span(y), default, default, x.Rows, dim, eps);
    }

    public void Attention(Tensor qkv, Tensor output, int batch, int tokens, int heads, bool causal)
    {
        int c = output.Columns;
        if (qkv.Length != (long)batch * tokens * 3 * c)
            throw new ArgumentException($"attention qkv [{qkv.ShapeText}] must hold (B={batch},T={tokens},3C={3 * c})");
        if (output.Length != (long)batch * tokens * c)
            throw new ArgumentException($"attention output [{output.ShapeText}] must hold (B={batch},T={tokens},C={c})");
        if (heads <= 0 || c % heads != 0) throw new ArgumentException($"attention width {c} is not divisible by {heads} heads");
        long probs = (long)batch * heads * tokens * tokens;
        if (attentionScratch.Length < probs) attentionScratch = new float[probs];
        Kernels.Attention.Forward(Span(qkv), Span(output), attentionScratch.AsSpan(0, (int)probs), batch, tokens, c, heads, causal);
    }

    public void Activation(ActivationKind kind, Tensor x, Tensor y)
    {
        SameLength("activation", x, y);
        Activations.Forward(kind, Span(x), Span(y));
    }

    public void Add(Tensor a, Tensor b, Tensor y)
    {
        SameLength("add", a, b); SameLength("add", a, y);
        Elementwise.Add(Span(a), Span(b), Span(y));
    }

    public void AddInPlace(Tensor y, Tensor x)
    {
        SameLength("add in place", y, x);
        Elementwise.AddInPlace(Span(y), Span(x));
    }

    public void AddRepeated(Tensor y, Tensor x)
    {
        if (x.Length == 0 || y.Length % x.Length != 0)
            throw new ArgumentException($"cannot repeat [{x.ShapeText}] over [{y.ShapeText}]");
        var ys = Span(y); var xs = Span(x);
        for (int start = 0; start < ys.Length; start += xs.Length)
            Elementwise.AddInPlace(ys.Slice(start, xs.Length), xs);
    }

    public void Scale(Tensor x, float s) => Elementwise.Scale(Span(x), s);

    public void Softmax(Tensor x) => Kernels.Softmax.Forward(Span(x), x.Rows, x.Columns);

    public void CopyRows(Tensor source, ReadOnlySpan<int> sourceRows, Tensor destination, ReadOnlySpan<int> destinationRows)
    {
        int c = source.Columns;
        if (destination.Columns != c) throw new ArgumentException($"copy rows: source has {c} columns, destination [{destination.ShapeText}]");
        if (sourceRows.Length != destinationRows.Length)
            throw new ArgumentException($"copy rows: {sourceRows.Length} source rows but {destinationRows.Length} destination rows");
        var src = Span(source); var dst = Span(destination);
        int srcCount = source.Rows, dstCount = destination.Rows;
        for (int i = 0; i < sourceRows.Length; i++)
        {
            int s = sourceRows[i], d = destinationRows[i];
            if ((uint)s >= (uint)srcCount) throw new ArgumentOutOfRangeException(nameof(sourceRows), $"row {s} outside source [{source.ShapeText}]");
            if ((uint)d >= (uint)dstCount) throw new ArgumentOutOfRangeException(nameof(destinationRows), $"row {d} outside destination [{destination.ShapeText}]");
            src.Slice(s * c, c).CopyTo(dst.Slice(d * c, c));
        }
    }

    public void GatherRows(Tensor table, ReadOnlySpan<int> rows, Tensor destination)
    {
        if (destination.Rows != rows.Length)
            throw new ArgumentException($"gather: {rows.Length} rows into destination [{destination.ShapeText}]");
        int c = table.Columns;
        if (destination.Columns != c) throw new ArgumentException($"gather: table has {c} columns, destination [{destination.ShapeText}]");
        var src = Span(table); var dst = Span(destination);
        int count = table.Rows;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if ((uint)r >= (uint)count) throw new ArgumentOutOfRangeException(nameof(rows), $"row {r} outside table [{table.ShapeText}]");
            src.Slice(r * c, c).CopyTo(dst.Slice(i * c, c));
        }
    }

    public void ExtractPatches(Tensor images, int patch, Tensor patches)
    {
        if (images.Shape.Length != 4) throw new ArgumentException($"images must be (B,C,H,W), got [{images.ShapeText}]");
        int b = images.Shape[0], ch = images.Shape[1], h = images.Shape[2], w = images.Shape[3];
        if (patch <= 0 || h % patch != 0 || w % patch != 0)
            throw new ArgumentException($"image {h}×{w} is not a whole number of {patch}-pixel patches");
        int gh = h / patch, gw = w / patch, rowLength = ch * patch * patch;
        if (patches.Columns != rowLength || patches.Rows != b * gh * gw)
            throw new ArgumentException($"patches [{patches.ShapeText}] must be ({b * gh * gw},{rowLength})");
        var src = Span(images); var dst = Span(patches);
        for (int n = 0; n < b; n++)
            for (int py = 0; py < gh; py++)
                for (int px = 0; px < gw; px++)
                {
                    var row = dst.Slice(((n * gh + py) * gw + px) * rowLength, rowLength);
                    int o = 0;
                    for (int c = 0; c < ch; c++)
                        for (int ky = 0; ky < patch; ky++)
                        {
                            src.Slice(((n * ch + c) * h + py * patch + ky) * w + px * patch, patch).CopyTo(row.Slice(o, patch));
                            o += patch;
                        }
                }
    }

    public void TopK(Tensor x, int k, Span<int> indices, Span<float> values) =>
        Kernels.TopK.Rows(Span(x), x.Rows, x.Columns, k, indices, values);

    static void SameLength(string op, Tensor a, Tensor b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"{op}: [{a.ShapeText}] and [{b.ShapeText}] differ in size");
    }
}
