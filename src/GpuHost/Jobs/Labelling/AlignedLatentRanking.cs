namespace Actors.GpuHost.Jobs.Labelling;

/// <summary>
/// Per concept t, the latents best aligned with it by s_j(t) (seed 000 Eq. 2), only those with s_j(t) &gt; 0 (the label
/// beats the empty prompt), fed one latent's alignments at a time: memory for concepts × kept, not latents × concepts.
/// </summary>
public sealed class AlignedLatentRanking(int concepts, int keep)
{
    readonly List<(int Latent, double Score)>[] kept = Enumerable.Range(0, concepts).Select(_ => new List<(int, double)>()).ToArray();
    readonly double[] floor = new double[concepts];   // the lowest kept score once a concept's list is full, else 0

    /// <summary>s_j(t) of latent <paramref name="latent"/> for every concept.</summary>
    public void Add(int latent, ReadOnlySpan<float> alignments)
    {
        if (alignments.Length != concepts) throw new ArgumentException($"{alignments.Length} alignments for {concepts} concepts");
        for (int c = 0; c < concepts; c++)
        {
            double s = alignments[c];
            if (s <= floor[c] || keep <= 0) continue;
            var list = kept[c];
            int at = list.FindIndex(e => s > e.Score || (s == e.Score && latent < e.Latent));
            list.Insert(at < 0 ? list.Count : at, (latent, s));
            if (list.Count > keep) list.RemoveAt(keep);
            if (list.Count == keep) floor[c] = list[^1].Score;
        }
    }

    /// <summary>Concept <paramref name="concept"/>'s latents, best first.</summary>
    public IReadOnlyList<(int Latent, double Score)> Of(int concept) => kept[concept];
}
