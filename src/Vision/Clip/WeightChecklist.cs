using Actors.Vision.Checkpoints;

namespace Actors.Vision.Clip;

/// <summary>
/// Hands out a checkpoint's tensors by name, checking each shape, and remembers which were taken so that the
/// loader can report every tensor it did not use. Nothing is loaded silently: a missing tensor or a wrong shape
/// throws a <see cref="ClipCheckpointException"/> naming the tensor and both shapes.
/// </summary>
internal sealed class WeightChecklist(IReadOnlyDictionary<string, NamedTensor> tensors, string source)
{
    readonly HashSet<string> taken = [];

    public string Source => source;

    public bool Has(string name) => tensors.ContainsKey(name);

    public IEnumerable<string> Names => tensors.Keys;

    public NamedTensor Peek(string name) =>
        tensors.TryGetValue(name, out var t) ? t : throw new ClipCheckpointException(source, name, "missing");

    /// <summary>The tensor's values, after checking its shape equals <paramref name="shape"/>.</summary>
    public float[] Take(string name, params int[] shape)
    {
        var t = Peek(name);
        if (!t.Shape.SequenceEqual(shape))
            throw new ClipCheckpointException(source, name, $"expected shape [{string.Join(", ", shape)}], found {t.ShapeText}");
        taken.Add(name);
        return t.Data;
    }

    /// <summary>A scalar stored either as a 0-d tensor (PyTorch's nn.Parameter(torch.ones([]))) or as shape [1].</summary>
    public float TakeScalar(string name)
    {
        var t = Peek(name);
        if (!(t.Shape.Length == 0 || t.Shape is [1]))
            throw new ClipCheckpointException(source, name, $"expected a scalar (shape [] or [1]), found {t.ShapeText}");
        taken.Add(name);
        return t.Data[0];
    }

    public IReadOnlyList<string> Unused => tensors.Keys.Where(k => !taken.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
}
