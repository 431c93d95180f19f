namespace Actors.Grains.Sketches;

/// <summary>
/// The k best reference images of a latent, kept sorted by <see cref="ReferenceImage.CompareRank"/>.
/// Merge = union, keep each image's best entry, keep the first k. This is associative and commutative: an entry
/// dropped by an inner merge is beaten by k distinct images that stay available to every outer merge.
/// </summary>
public sealed class TopReferences
{
    public const int DefaultCapacity = 16;

    /// <summary>
    /// k. Merging takes the larger k of the two sides, so an empty accumulator (k = 1) adopts the k its deltas
    /// were built with, and merge stays associative and commutative.
    /// </summary>
    public int Capacity { get; set; } = 1;
    /// <summary>Best first.</summary>
    public List<ReferenceImage> Items { get; init; } = [];

    public TopReferences() { }

    public TopReferences(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "top-k capacity must be positive");
        Capacity = capacity;
    }

    static readonly IComparer<ReferenceImage> RankComparer = Comparer<ReferenceImage>.Create(ReferenceImage.CompareRank);

    public bool IsFull => Items.Count >= Capacity;

    /// <summary>Would this candidate enter the list? The O(1) check that keeps the hot merge path cheap.</summary>
    public bool Admits(ReferenceImage candidate) =>
        !IsFull || ReferenceImage.CompareRank(candidate, Items[^1]) < 0;

    public void Add(ReferenceImage candidate)
    {
        if (!Admits(candidate)) return;
        int existing = -1;
        for (int i = 0; i < Items.Count; i++)
            if (Items[i].Image.SameImage(candidate.Image)) { existing = i; break; }
        if (existing >= 0)
        {
            if (ReferenceImage.CompareRank(candidate, Items[existing]) >= 0) return;
            Items.RemoveAt(existing);
        }
        int at = Items.BinarySearch(candidate, RankComparer);
        Items.Insert(at < 0 ? ~at : at, candidate);
        if (Items.Count > Capacity) Items.RemoveAt(Items.Count - 1);
    }

    public void MergeFrom(TopReferences other)
    {
        Capacity = Math.Max(Capacity, other.Capacity);
        // other is sorted best-first: once one candidate is rejected, all later ones are too.
        foreach (var candidate in other.Items)
        {
            if (!Admits(candidate)) break;
            Add(candidate);
        }
    }

    public TopReferences Clone() => new(Capacity) { Items = [.. Items] };

    public static TopReferences Merge(TopReferences a, TopReferences b)
    {
        var m = new TopReferences(Math.Max(a.Capacity, b.Capacity));
        m.MergeFrom(a);
        m.MergeFrom(b);
        return m;
    }
}
