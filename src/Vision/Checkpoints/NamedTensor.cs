namespace Actors.Vision.Checkpoints;

/// <summary>
/// One tensor read from (or to be written to) a checkpoint: row-major float32 data whatever the stored dtype.
/// <paramref name="SourceDType"/> keeps the dtype it was stored in ("F16", "BF16", "F32", ...) so callers can report it.
/// </summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Data, string SourceDType)
{
    /// <summary>Product of the shape (1 for a scalar with shape []).</summary>
    public long ElementCount => CountElements(Shape);

    public static long CountElements(IReadOnlyList<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }

    /// <summary>A float32 tensor; checks that the data length matches the shape.</summary>
    public static NamedTensor F32(string name, int[] shape, float[] data)
    {
        if (CountElements(shape) != data.Length)
            throw new ArgumentException(
                $"Tensor '{name}': shape [{string.Join(", ", shape)}] needs {CountElements(shape)} values, data has {data.Length}.");
        return new NamedTensor(name, shape, data, "F32");
    }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
