namespace Actors.Vision.Imaging;

/// <summary>
/// The images of a batch that decoded, as normalised CHW floats back to back ([Count, 3, Height, Width]), with the
/// paths and input positions they came from; inputs that failed are listed in <see cref="Errors"/> instead.
/// </summary>
public sealed record PreprocessedBatch(
    float[] Pixels,
    int Height,
    int Width,
    IReadOnlyList<string> Paths,
    IReadOnlyList<int> SourceIndices,
    IReadOnlyList<ImageError> Errors)
{
    public int Count => Paths.Count;
}
