using Actors.Sae.Sources;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Ingestion;

/// <summary>The images of a corpus (folder or manifest) in the corpus's fixed order; unreadable files are skipped.</summary>
public sealed class CorpusImageSequence(IReadOnlyList<CorpusItem> items) : IImageSequence
{
    public int Count => items.Count;

    public RgbImage? Get(int index)
    {
        try { return ImageCodec.Decode(items[index].Location); }
        catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException) { return null; }
    }
}
