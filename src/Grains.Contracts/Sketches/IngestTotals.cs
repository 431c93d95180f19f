using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// What ingestion has seen for one SAE, whether or not any latent fired: tokens, images and images per class.
/// These are the denominators of firing frequency (seed 002 Sec. 3.2) and the class sizes that turn a latent's
/// firing-only <see cref="ClassMoments"/> into full class distributions. <see cref="RelevanceImages"/> counts, per
/// class, the images whose Act×Grad relevance for the class prompt was computed (their label is a class of the
/// ingestion's vocabulary): the class sizes of the relevance moments, which cover only those images (seed 000 Eq. 8).
/// </summary>
[GenerateSerializer, Alias("actors.IngestTotals")]
public sealed class IngestTotals
{
    [Id(0)] public long Tokens { get; set; }
    [Id(1)] public long Images { get; set; }
    [Id(2)] public Dictionary<string, long> ClassImages { get; init; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, long> RelevanceImages { get; init; } = new(StringComparer.Ordinal);

    public void MergeFrom(IngestTotals other)
    {
        Tokens += other.Tokens;
        Images += other.Images;
        Add(ClassImages, other.ClassImages);
        Add(RelevanceImages, other.RelevanceImages);
    }

    static void Add(Dictionary<string, long> into, Dictionary<string, long> counts)
    {
        foreach (var (label, n) in counts) into[label] = into.GetValueOrDefault(label) + n;
    }

    public long ImagesOf(string label) => ClassImages.GetValueOrDefault(label);

    public long RelevanceImagesOf(string label) => RelevanceImages.GetValueOrDefault(label);

    public IngestTotals Clone() => new()
    {
        Tokens = Tokens, Images = Images, ClassImages = new Dictionary<string, long>(ClassImages, StringComparer.Ordinal),
        RelevanceImages = new Dictionary<string, long>(RelevanceImages, StringComparer.Ordinal),
    };
}
