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

    // Entries live in a buffer of k slots updated in place, so merging allocates nothing once the buffer exists:
    // a grain is only read and written inside its own turns, and every reader copies (views) or serializes
    // within the turn. The cached activations of the first and last entries let the hot path decide admission
    // from this object alone, without loading the buffer and the entries (ties fall back to the full rank
    // comparison).
    ReferenceImage[] items = [];
    int count;
    double firstActivation, lastActivation;

    /// <summary>Best first. A live window onto the buffer: copy it to keep it past the owner's next merge.</summary>
    public IReadOnlyList<ReferenceImage> Items { get => new ArraySegment<ReferenceImage>(items, 0, count); init => Set(value.ToArray()); }

    public TopReferences() { }

    public TopReferences(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "top-k capacity must be positive");
        Capacity = capacity;
    }

    void Set(ReadOnlySpan<ReferenceImage> sorted)
    {
        if (items.Length < sorted.Length) items = new ReferenceImage[Math.Max(sorted.Length, Capacity)];
        sorted.CopyTo(items);
        if (sorted.Length < count) Array.Clear(items, sorted.Length, count - sorted.Length);
        count = sorted.Length;
        firstActivation = count > 0 ? items[0].Activation : 0;
        lastActivation = count > 0 ? items[count - 1].Activation : 0;
    }

    public bool IsFull => count >= Capacity;

    /// <summary>Would this candidate enter the list? The O(1) check that keeps the hot merge path cheap.</summary>
    public bool Admits(ReferenceImage candidate) => Admits(candidate.Activation, candidate);

    bool Admits(double activation, ReferenceImage candidate)
    {
        if (!IsFull) return true;
        if (activation > lastActivation) return true;
        if (activation < lastActivation) return false;
        return ReferenceImage.CompareRank(candidate, items[count - 1]) < 0;   // tie (or NaN): image order decides
    }

    public void Add(ReferenceImage candidate)
    {
        if (Admits(candidate)) MergeSorted([candidate]);
    }

    /// <summary>
    /// Linear two-way merge of the two best-first lists, skipping an image already taken (its better entry came
    /// first), stopping at k. Equal to adding other's items one by one; when other's best candidate is not
    /// admitted it costs one comparison of two cached activations.
    /// </summary>
    public void MergeFrom(TopReferences other)
    {
        Capacity = Math.Max(Capacity, other.Capacity);
        var b = other.items.AsSpan(0, other.count);
        if (b.Length == 0 || !Admits(other.firstActivation, b[0])) return;   // b is best first: none of it enters
        MergeSorted(b);
    }

    /// <summary>Merge output buffer, one per thread, so a merge that changes nothing allocates nothing.</summary>
    [ThreadStatic] static ReferenceImage[]? scratch;

    void MergeSorted(ReadOnlySpan<ReferenceImage> b)
    {
        ReadOnlySpan<ReferenceImage> a = items.AsSpan(0, count);
        int length = Math.Min(Capacity, a.Length + b.Length);
        var into = scratch is { } s && s.Length >= length ? s : scratch = new ReferenceImage[Math.Max(length, DefaultCapacity)];
        int n = 0, i = 0, j = 0, takenFromB = 0;
        while (n < length && (i < a.Length || j < b.Length))
        {
            bool fromB = j < b.Length && (i >= a.Length || ReferenceImage.CompareRank(b[j], a[i]) < 0);
            var next = fromB ? b[j++] : a[i++];
            // Each side holds distinct images, so a repeat can only be of an image the other side gave already.
            if ((fromB ? n - takenFromB : takenFromB) > 0 && Taken(into.AsSpan(0, n), next)) continue;
            into[n++] = next;
            if (fromB) takenFromB++;
        }
        if (takenFromB > 0) Set(into.AsSpan(0, n));              // else nothing of b entered: the list is unchanged
        Array.Clear(into, 0, n);                                 // hold no entries alive through the buffer
    }

    static bool Taken(ReadOnlySpan<ReferenceImage> taken, ReferenceImage candidate)
    {
        foreach (var t in taken)
            if (t.SameImageAs(candidate)) return true;
        return false;
    }

    public TopReferences Clone()
    {
        var copy = new TopReferences(Capacity);
        copy.Set(items.AsSpan(0, count));
        return copy;
    }

    public static TopReferences Merge(TopReferences a, TopReferences b)
    {
        var m = new TopReferences(Math.Max(a.Capacity, b.Capacity));
        m.MergeFrom(a);
        m.MergeFrom(b);
        return m;
    }
}
