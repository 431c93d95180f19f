using Actors.GpuHost.Ingestion;
using Actors.Sae;
using Actors.Sae.Training;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>One batch of decoded, preprocessed images (N, C, H, W) and their labels; unreadable images are left out.</summary>
public sealed record ImageBatch(float[] Pixels, int Count, string?[] Labels);

/// <summary>Images read in order, a batch at a time, so evaluation never holds more than one batch of pixels.</summary>
public sealed class ImageBatches(IReadOnlyList<CorpusItem> items, ClipPreprocessor preprocessor, int batchSize = 32)
{
    public IReadOnlyList<CorpusItem> Items => items;

    public IEnumerable<ImageBatch> Read()
    {
        var sequence = new CorpusImageSequence(items);
        int per = preprocessor.FloatsPerImage;
        for (int start = 0; start < items.Count; start += batchSize)
        {
            int end = Math.Min(items.Count, start + batchSize), n = 0;
            var pixels = new float[(end - start) * per];
            var labels = new List<string?>();
            for (int i = start; i < end; i++)
            {
                if (sequence.Get(i) is not { } image) continue;
                preprocessor.Preprocess(image, pixels.AsSpan(n++ * per, per));
                labels.Add(items[i].Label);
            }
            if (n > 0) yield return new ImageBatch(pixels[..(n * per)], n, [.. labels]);
        }
    }
}

/// <summary>
/// The hooked rows of a fixed image list, in image order, one pass (no shuffle, no repetition): what
/// <see cref="Actors.Sae.Evaluation.SaeEvaluator"/> reads for held-out metrics.
/// </summary>
public sealed class HookedRows(ClipVisionModel vision, ImageBatches images, SaeHookSpec hook) : IActivationSource
{
    IEnumerator<ImageBatch>? batches;
    float[] rows = [];
    int rowCount, cursor;

    public int DIn => hook.RowWidth(vision);

    public int Read(Span<float> destination, int maxRows)
    {
        batches ??= images.Read().GetEnumerator();
        int written = 0, d = DIn;
        while (written < maxRows)
        {
            if (cursor == rowCount)
            {
                if (!batches.MoveNext()) break;
                var b = batches.Current;
                rows = hook.Read(vision, b.Pixels, b.Count);
                (rowCount, cursor) = (b.Count * hook.RowsPerSequence(vision.Config.Tokens), 0);
            }
            int take = Math.Min(maxRows - written, rowCount - cursor);
            rows.AsSpan(cursor * d, take * d).CopyTo(destination.Slice(written * d, take * d));
            (cursor, written) = (cursor + take, written + take);
        }
        return written;
    }

    public void Seek(long row)
    {
        if (row != 0) throw new NotSupportedException("held-out rows are read from the start only");
        (batches, rowCount, cursor) = (null, 0, 0);
    }
}
