using Orleans;
using System.Runtime.InteropServices;

namespace Actors.Grains.Sketches;

/// <summary>
/// Per-class moments of a latent's image-level relevance (or activation, its output-agnostic proxy: seed 000
/// Sec. 4.2), over the images where the latent fired. Images of the class where it did not fire have value 0;
/// their number is known only globally (<see cref="IngestTotals.ClassImages"/>), so <see cref="ForClass"/> adds
/// them back as zeros before the z-score z = (x − μ_c)/σ̂_c of seed 000 Eq. 8 is formed.
/// </summary>
[GenerateSerializer, Alias("actors.ClassMoments")]
public sealed class ClassMoments
{
    [Id(0)] public Dictionary<string, Moments> Classes { get; init; } = new(StringComparer.Ordinal);

    // In place through a reference to the value slot: one hash and lookup per label.
    public void Add(string label, double value)
    {
        ref var m = ref CollectionsMarshal.GetValueRefOrAddDefault(Classes, label, out _);
        m = m.Add(value);
    }

    public void MergeFrom(ClassMoments other)
    {
        foreach (var (label, moments) in other.Classes)
        {
            ref var m = ref CollectionsMarshal.GetValueRefOrAddDefault(Classes, label, out _);
            m = Moments.Merge(m, moments);
        }
    }

    public ClassMoments Clone() => new() { Classes = new Dictionary<string, Moments>(Classes, StringComparer.Ordinal) };

    public static ClassMoments Merge(ClassMoments a, ClassMoments b) { var m = a.Clone(); m.MergeFrom(b); return m; }

    /// <summary>Moments over all <paramref name="classImages"/> images of the class (non-firing ones as 0).</summary>
    public Moments ForClass(string label, long classImages)
    {
        Classes.TryGetValue(label, out var m);
        return m.WithZeros(classImages - m.Count);
    }
}
