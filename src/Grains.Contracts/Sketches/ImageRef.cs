using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// Where a reference image lives: the corpus, the image's id within it (relative path or manifest key) and the
/// content hash of its thumbnail in the content-addressed store. Grain state keeps references, never pixels.
/// </summary>
[GenerateSerializer, Immutable, Alias("actors.ImageRef")]
public sealed record ImageRef([property: Id(0)] string CorpusId, [property: Id(1)] string ImageId, [property: Id(2)] string ContentHash)
{
    /// <summary>Ordinal order on (corpus, image, hash): the deterministic tie-break of equal activations.</summary>
    public static int CompareOrdinal(ImageRef a, ImageRef b)
    {
        int c = string.CompareOrdinal(a.CorpusId, b.CorpusId);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.ImageId, b.ImageId);
        return c != 0 ? c : string.CompareOrdinal(a.ContentHash, b.ContentHash);
    }

    /// <summary>Hash of what <see cref="SameImage"/> compares (corpus and image id; per process, never stored).</summary>
    public static int IdentityHash(ImageRef? image) => image is null ? 0 :
        HashCode.Combine(string.GetHashCode(image.CorpusId, StringComparison.Ordinal), string.GetHashCode(image.ImageId, StringComparison.Ordinal));

    /// <summary>Same image (the content hash is a property of the image, not part of its identity).</summary>
    public bool SameImage(ImageRef other) =>
        string.Equals(CorpusId, other.CorpusId, StringComparison.Ordinal) &&
        string.Equals(ImageId, other.ImageId, StringComparison.Ordinal);
}
