using Actors.Vision.Imaging;

namespace Actors.Sae.Sources;

/// <summary>A fixed, indexable sequence of images an activation stream reads (a corpus on disk, or rendered world scenes).</summary>
public interface IImageSequence
{
    int Count { get; }
    /// <summary>Image <paramref name="index"/>, or null when it cannot be read (it is then skipped).</summary>
    RgbImage? Get(int index);
}
