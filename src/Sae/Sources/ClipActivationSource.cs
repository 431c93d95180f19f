using Actors.Vision.Imaging;
using Actors.Vision.Clip;
using Actors.Sae.Training;
using Actors.Tensors;

namespace Actors.Sae.Sources;

/// <summary>
/// Activations streamed out of CLIP over an image sequence: images are preprocessed and run through the vision
/// tower up to the hook's layer in batches, and the hooked tokens become rows (for the image-embedding hook, the
/// whole tower runs and each image's embedding is one row). To decorrelate a training batch,
/// rows are served from a shuffle window of <paramref name="windowImages"/> images whose order is a permutation
/// seeded by the window's index — so <see cref="Seek"/> can reproduce any position exactly (bit-identical resume).
/// The sequence is repeated (epochs) until the consumer stops. <see cref="Position"/> (window index and cursor) is exact
/// even when some images do not decode, which <see cref="Seek"/>'s row arithmetic assumes they all do.
/// </summary>
public sealed class ClipActivationSource : IPositionedActivationSource
{
    readonly ClipVisionModel vision;
    readonly ClipPreprocessor preprocessor;
    readonly IImageSequence images;
    readonly SaeHookSpec hook;
    readonly int windowImages, seed, rowsPerImage, width;
    float[] window = [];
    int[] order = [];
    long windowIndex = -1;
    int windowRows, cursor;

    public ClipActivationSource(ClipVisionModel vision, ClipPreprocessor preprocessor, IImageSequence images, SaeHookSpec hook,
        int windowImages = 256, int seed = 0)
    {
        if (images.Count == 0) throw new ArgumentException("the image sequence is empty");
        if (hook.Site == HookSite.ResidualPost && (hook.Layer < 0 || hook.Layer >= vision.Layers))
            throw new ArgumentException($"hook layer {hook.Layer} is outside 0..{vision.Layers - 1}");
        (this.vision, this.preprocessor, this.images, this.hook, this.windowImages, this.seed) =
            (vision, preprocessor, images, hook, Math.Max(1, windowImages), seed);
        width = hook.RowWidth(vision);   // projection_dim for the image-embedding hook, the residual width otherwise
        rowsPerImage = hook.RowsPerSequence(vision.Config.Tokens);
    }

    public int DIn => width;

    public int Read(Span<float> destination, int maxRows)
    {
        int written = 0, emptyWindows = 0;
        while (written < maxRows)
        {
            if (cursor >= windowRows)
            {
                LoadWindow(windowIndex + 1);
                // A whole pass over the sequence without one decodable image would otherwise loop for ever.
                if (windowRows == 0 && ++emptyWindows > images.Count / windowImages + 1)
                    throw new InvalidOperationException($"none of the {images.Count} images of the sequence could be read");
                if (windowRows > 0) emptyWindows = 0;
            }
            int take = Math.Min(maxRows - written, windowRows - cursor);
            for (int i = 0; i < take; i++)
                window.AsSpan(order[cursor + i] * width, width).CopyTo(destination.Slice((written + i) * width, width));
            cursor += take;
            written += take;
        }
        return written;
    }

    public void Seek(long row)
    {
        long perWindow = (long)windowImages * rowsPerImage;   // rows of a window when every image decodes
        LoadWindow(row / perWindow);
        cursor = (int)Math.Min(row % perWindow, windowRows);
    }

    public string Position => $"{windowIndex}:{cursor}";

    public void Restore(string position)
    {
        var parts = position.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], out long index) || !int.TryParse(parts[1], out int at) || index < -1 || at < 0)
            throw new FormatException($"'{position}' is not a position of a CLIP activation stream (window:cursor)");
        if (index == windowIndex && at <= windowRows) { cursor = at; return; }
        if (index < 0) { (windowIndex, windowRows, cursor, window, order) = (-1, 0, 0, [], []); return; }
        LoadWindow(index);
        cursor = Math.Min(at, windowRows);
    }

    void LoadWindow(long index)
    {
        windowIndex = index;
        var pixels = new float[windowImages * preprocessor.FloatsPerImage];
        int n = 0;
        for (int i = 0; i < windowImages; i++)
        {
            int at = (int)((index * windowImages + i) % images.Count);
            if (images.Get(at) is not { } image) continue;
            preprocessor.Preprocess(image, pixels.AsSpan(n++ * preprocessor.FloatsPerImage, preprocessor.FloatsPerImage));
        }
        const int forwardBatch = 32;
        window = new float[(long)n * rowsPerImage * width];
        for (int start = 0; start < n; start += forwardBatch)
        {
            int count = Math.Min(forwardBatch, n - start);
            hook.Read(vision, pixels.AsSpan(start * preprocessor.FloatsPerImage, count * preprocessor.FloatsPerImage), count)
                .CopyTo(window.AsSpan(start * rowsPerImage * width));
        }
        windowRows = n * rowsPerImage;
        order = Enumerable.Range(0, windowRows).ToArray();
        new SplitMix64(SplitMix64.Derive((ulong)seed, (ulong)index)).Shuffle(order);   // process-independent, so resume reproduces it
        cursor = 0;
    }
}
