namespace Actors.GpuHost.Jobs.Evaluations;

/// <summary>
/// The classes of an evaluation and their class prompts t_c: text embeddings (proj) of the labels in the SAE's model —
/// a vocabulary's concept embeddings ("{vocabulary}/{label}") for jobs, the same encoder's for the world claims. y(x, t_c)
/// is the output every evaluation explains (seed 000 Eq. 4).
/// </summary>
public sealed class ClassPrompts
{
    readonly Dictionary<string, int> index;

    public ClassPrompts(IReadOnlyList<string> labels, IReadOnlyList<float[]> embeddings)
    {
        if (labels.Count == 0) throw new ArgumentException("an evaluation needs at least one class");
        if (labels.Count != embeddings.Count) throw new ArgumentException($"{labels.Count} class labels but {embeddings.Count} prompt embeddings");
        if (embeddings.Any(e => e.Length != embeddings[0].Length || e.Length == 0)) throw new ArgumentException("class prompt embeddings differ in length");
        Labels = labels;
        Embeddings = embeddings;
        index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        if (index.Count != labels.Count) throw new ArgumentException("class labels repeat");
    }

    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<float[]> Embeddings { get; }
    public int Count => Labels.Count;
    public int Dim => Embeddings[0].Length;

    /// <summary>The class's index, or −1 when it is not one of these classes.</summary>
    public int IndexOf(string label) => index.GetValueOrDefault(label, -1);

    public float[] Of(string label) => IndexOf(label) is >= 0 and var i ? Embeddings[i]
        : throw new ArgumentException($"'{label}' is not one of the classes {string.Join(", ", Labels)}");
}
