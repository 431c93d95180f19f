namespace Actors.Tensors.Backends;

/// <summary>
/// A float32 tensor owned by one <see cref="IComputeBackend"/>: a shape plus a backend-specific storage handle
/// (a managed array on the CPU, a device pointer on an accelerator) and an element offset into it.
/// Row-major; "rows" means every dimension but the last, "columns" the last dimension.
/// Host code reads or writes the values only through the backend's explicit copies
/// (<see cref="IComputeBackend.CopyToHost"/>, <see cref="IComputeBackend.CopyFromHost"/>), so model code written
/// against the seam never assumes host memory.
/// </summary>
public sealed class Tensor
{
    public Tensor(IComputeBackend backend, object storage, long offset, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(storage);
        if (shape.Length == 0) throw new ArgumentException("a tensor needs at least one dimension");
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative extent in shape [{string.Join(",", shape)}]");
            length *= d;
        }
        Backend = backend; Storage = storage; Offset = offset; Shape = (int[])shape.Clone(); Length = length;
    }

    public IComputeBackend Backend { get; }
    /// <summary>Backend-specific handle; only the owning backend interprets it.</summary>
    public object Storage { get; }
    /// <summary>Offset of element 0 within <see cref="Storage"/>, in elements.</summary>
    public long Offset { get; }
    public int[] Shape { get; }
    public long Length { get; }

    /// <summary>Size of the last dimension.</summary>
    public int Columns => Shape[^1];
    /// <summary>Product of all dimensions but the last.</summary>
    public int Rows => Columns == 0 ? 0 : checked((int)(Length / Columns));

    /// <summary>The same elements seen with another shape (no copy).</summary>
    public Tensor Reshape(params int[] shape)
    {
        long length = 1;
        foreach (int d in shape) length *= d;
        if (length != Length)
            throw new ArgumentException($"cannot reshape [{ShapeText}] ({Length} elements) to [{string.Join(",", shape)}] ({length} elements)");
        return new Tensor(Backend, Storage, Offset, shape);
    }

    /// <summary>A view of <paramref name="count"/> consecutive entries of the first dimension (no copy).</summary>
    public Tensor Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start}, {start + count}) outside first dimension {Shape[0]} of [{ShapeText}]");
        long inner = Shape[0] == 0 ? 0 : Length / Shape[0];
        var shape = (int[])Shape.Clone();
        shape[0] = count;
        return new Tensor(Backend, Storage, Offset + start * inner, shape);
    }

    public string ShapeText => string.Join(",", Shape);
    public override string ToString() => $"Tensor[{ShapeText}] on {Backend.Name}";
}
