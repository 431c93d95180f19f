using Orleans;
namespace Actors.Grains.Sketches;

/// <summary>
/// What ingestion has seen for one SAE, whether or not any latent fired: tokens, images and images per class.
/// These are the denominators of firing frequency (seed 002 Sec. 3.2) and the class sizes that turn a latent's
/// firing-only <see cref="ClassMoments"/> into full class distributions.
/// </summary>
[GenerateSerializer, Alias("actors.IngestTotals")]
public sealed class IngestTotals
{
    [Id(0)] public long Tokens { get; set; }
    [Id(1)] public long Images { get; set; }
    [Id(2)] public Dictionary<string, long> ClassImages { get; init; } = new(StringComparer.Ordinal);

    public void MergeFrom(IngestTotals other)
    {
        Tokens += other.Tokens;
        Images += other.Images;
        foreach (var (label, n) in other.ClassImages)
            ClassImages[label] = ClassImages.GetValueOrDefault(label) + n;
    }

    public long ImagesOf(string label) => ClassImages.GetValueOrDefault(label);

    public IngestTotals Clone() =>
        new() { Tokens = Tokens, Images = Images, ClassImages = new Dictionary<string, long>(ClassImages, StringComparer.Ordinal) };
}
