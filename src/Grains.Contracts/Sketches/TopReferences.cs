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

    // Entries live in buffers of k slots updated in place, so merging allocates nothing once they exist: a grain
    // is only read and written inside its own turns, and every reader copies (views) or serializes within the
    // turn. Each entry's activation and image key sit in arrays beside it, so a merge decides ranks and repeats
    // from two contiguous arrays per side instead of loading up to 2k scattered entry objects (entries are
    // loaded only on a tie of activations or of keys).
    ReferenceImage[] items = [];
    double[] activations = [];
    int[] keys = [];
    int count;

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
        Reserve(sorted.Length);
        for (int i = 0; i < sorted.Length; i++) { activations[i] = sorted[i].Activation; keys[i] = sorted[i].ImageKey; }
        Store(sorted);
    }

    void Reserve(int length)
    {
        if (items.Length >= length) return;
        int size = Math.Max(length, Capacity);
        Array.Resize(ref items, size); Array.Resize(ref activations, size); Array.Resize(ref keys, size);
    }

    /// <summary>Entries whose activations and keys are already in place.</summary>
    void Store(ReadOnlySpan<ReferenceImage> sorted)
    {
        sorted.CopyTo(items);
        if (sorted.Length < count) Array.Clear(items, sorted.Length, count - sorted.Length);
        count = sorted.Length;
    }

    public bool IsFull => count >= Capacity;

    /// <summary>Would this candidate enter the list? The O(1) check that keeps the hot merge path cheap.</summary>
    public bool Admits(ReferenceImage candidate) => Admits(candidate.Activation, candidate.Image);

    /// <summary>
    /// Would a candidate of this image and activation enter the list? Asked before the entry is built: a sketcher
    /// offers every firing image, and once the list is full few get in.
    /// </summary>
    public bool Admits(double activation, ImageRef image)
    {
        if (!IsFull) return true;
        double last = activations[count - 1];
        if (activation > last) return true;
        if (activation < last) return false;
        var lastEntry = items[count - 1];   // tie (or NaN): the full rank order decides
        return ReferenceImage.CompareRank(activation, image, lastEntry.Activation, lastEntry.Image) < 0;
    }

    public void Add(ReferenceImage candidate)
    {
        if (Admits(candidate)) MergeSorted([candidate], [candidate.Activation], [candidate.ImageKey]);
    }

    /// <summary>
    /// Linear two-way merge of the two best-first lists, skipping an image already taken (its better entry came
    /// first), stopping at k. Equal to adding other's items one by one; when other's best candidate is not
    /// admitted it costs one comparison of two activations.
    /// </summary>
    public void MergeFrom(TopReferences other)
    {
        Capacity = Math.Max(Capacity, other.Capacity);
        int m = other.count;
        if (m == 0 || !Admits(other.activations[0], other.items[0].Image)) return;   // b is best first: none of it enters
        MergeSorted(other.items.AsSpan(0, m), other.activations.AsSpan(0, m), other.keys.AsSpan(0, m));
    }

    /// <summary>Merge output buffer, one per thread, so a merge that changes nothing allocates nothing.</summary>
    [ThreadStatic] static ReferenceImage[]? scratch;

    void MergeSorted(ReadOnlySpan<ReferenceImage> b, ReadOnlySpan<double> bActivation, ReadOnlySpan<int> bKey)
    {
        int aCount = count;
        int length = Math.Min(Capacity, aCount + b.Length);
        var into = scratch is { } s && s.Length >= length ? s : scratch = new ReferenceImage[Math.Max(length, DefaultCapacity)];
        Span<double> intoActivation = length <= 64 ? stackalloc double[length] : new double[length];
        Span<int> intoKey = length <= 64 ? stackalloc int[length] : new int[length];
        var aItems = items; var aActivation = activations; var aKey = keys;
        int n = 0, i = 0, j = 0, takenFromB = 0;
        while (n < length && (i < aCount || j < b.Length))
        {
            bool fromB;
            if (j >= b.Length) fromB = false;
            else if (i >= aCount) fromB = true;
            else if (bActivation[j] > aActivation[i]) fromB = true;
            else if (bActivation[j] < aActivation[i]) fromB = false;
            else fromB = ReferenceImage.CompareRank(b[j], aItems[i]) < 0;   // tie (or NaN): the full rank order
            var (next, activation, key) = fromB ? (b[j], bActivation[j], bKey[j++]) : (aItems[i], aActivation[i], aKey[i++]);
            // Each side holds distinct images, so a repeat can only be of an image the other side gave already.
            if ((fromB ? n - takenFromB : takenFromB) > 0 && Taken(into, intoKey[..n], next, key)) continue;
            into[n] = next; intoActivation[n] = activation; intoKey[n] = key;
            n++;
            if (fromB) takenFromB++;
        }
        if (takenFromB > 0)                                      // else nothing of b entered: the list is unchanged
        {
            Reserve(n);
            intoActivation[..n].CopyTo(activations);
            intoKey[..n].CopyTo(keys);
            Store(into.AsSpan(0, n));
        }
        Array.Clear(into, 0, n);                                 // hold no entries alive through the buffer
    }

    static bool Taken(ReferenceImage[] taken, ReadOnlySpan<int> takenKeys, ReferenceImage candidate, int key)
    {
        for (int t = 0; t < takenKeys.Length; t++)
            if (takenKeys[t] == key && taken[t].SameImageAs(candidate)) return true;
        return false;
    }

    /// <summary>The entries in their packed form (<see cref="ReferencePacking"/>), read straight from the buffer.</summary>
    public byte[] Packed() => ReferencePacking.Pack(items.AsSpan(0, count));

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
