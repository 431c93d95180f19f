namespace Actors.World.Training;

/// <summary>
/// One named parameter tensor: a view [Offset, Offset+Length) of the model's single flat parameter buffer
/// (llm.c style: params, grads and both Adam moments share this layout, so an optimiser step is one loop).
/// Names are the Hugging Face CLIPModel names, so export is a copy.
/// </summary>
public sealed record ParameterTensor(string Name, int[] Shape, int Offset, bool Decay)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>Builds the flat layout by appending tensors in order.</summary>
public sealed class ParameterLayout
{
    readonly List<ParameterTensor> _tensors = [];
    readonly Dictionary<string, ParameterTensor> _byName = [];

    public IReadOnlyList<ParameterTensor> Tensors => _tensors;
    public int Count { get; private set; }

    /// <summary>Appends a tensor. Decay: whether AdamW's decoupled weight decay applies (matrices only).</summary>
    public ParameterTensor Add(string name, int[] shape, bool decay)
    {
        var t = new ParameterTensor(name, shape, Count, decay);
        if (!_byName.TryAdd(name, t)) throw new ArgumentException($"parameter '{name}' added twice");
        _tensors.Add(t);
        Count += t.Length;
        return t;
    }

    public ParameterTensor this[string name] =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no parameter named '{name}'");
}
