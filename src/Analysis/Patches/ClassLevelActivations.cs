namespace Actors.Analysis.Patches;

/// <summary>
/// Seed 002 Eq. 5: class-level activations a_c[s] = Σ_{i ∈ I_c} a_i[s], stored (classes, latents) row-major. The
/// dataset-level a_D[s] = Σ_i a_i[s] is their sum over classes. Tables of disjoint image batches merge by addition.
/// </summary>
public sealed record ClassLevelActivations(int ClassCount, int LatentCount, long[] Counts)
{
    public static ClassLevelActivations Empty(int classCount, int latentCount) =>
        new(classCount, latentCount, new long[(long)classCount * latentCount]);

    /// <summary>Sums image-level activations a_i (see <see cref="ImageLevelActivation"/>) by label.</summary>
    public static ClassLevelActivations FromImages(IReadOnlyList<int[]> imageLevel, IReadOnlyList<int> labels, int classCount)
    {
        if (imageLevel.Count != labels.Count) throw new ArgumentException($"{imageLevel.Count} images but {labels.Count} labels");
        if (imageLevel.Count == 0) throw new ArgumentException("no images");
        int d = imageLevel[0].Length;
        var table = Empty(classCount, d);
        for (int i = 0; i < imageLevel.Count; i++)
        {
            var a = imageLevel[i];
            int c = labels[i];
            if (a.Length != d) throw new ArgumentException($"image-level activations of {d} and {a.Length} latents");
            if ((uint)c >= (uint)classCount) throw new ArgumentOutOfRangeException(nameof(labels), $"label {c} of image {i} is not in [0, {classCount})");
            var row = table.Counts.AsSpan(c * d, d);
            for (int s = 0; s < d; s++) row[s] += a[s];
        }
        return table;
    }

    public static ClassLevelActivations Merge(ClassLevelActivations a, ClassLevelActivations b)
    {
        if (a.ClassCount != b.ClassCount || a.LatentCount != b.LatentCount)
            throw new ArgumentException($"tables of ({a.ClassCount}, {a.LatentCount}) and ({b.ClassCount}, {b.LatentCount})");
        var sum = new long[a.Counts.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = a.Counts[i] + b.Counts[i];
        return new ClassLevelActivations(a.ClassCount, a.LatentCount, sum);
    }

    /// <summary>a_c for one class.</summary>
    public ReadOnlySpan<long> ForClass(int classId)
    {
        if ((uint)classId >= (uint)ClassCount) throw new ArgumentOutOfRangeException(nameof(classId));
        return Counts.AsSpan(classId * LatentCount, LatentCount);
    }

    /// <summary>a_D = Σ_c a_c.</summary>
    public long[] DatasetLevel()
    {
        var total = new long[LatentCount];
        for (int c = 0; c < ClassCount; c++)
        {
            var row = ForClass(c);
            for (int s = 0; s < total.Length; s++) total[s] += row[s];
        }
        return total;
    }
}
