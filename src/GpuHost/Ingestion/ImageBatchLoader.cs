using Actors.Grains.Blobs;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Ingestion;

/// <summary>One batch's images after decoding: CLIP pixels (N, 3, S, S) for those that decoded, their refs and labels, and the failures.</summary>
public sealed record LoadedImages(float[] Pixels, ImageRef[] Images, string?[] Labels, FailedFile[] Failures)
{
    public int Count => Images.Length;
}

/// <summary>
/// Decodes a batch of corpus items in parallel, preprocesses them for CLIP, and stores the batch's thumbnails in the
/// content-addressed blob store in one call (reference images point at them). A file that cannot be read or decoded
/// becomes a <see cref="FailedFile"/>; the batch goes on without it.
/// </summary>
public sealed class ImageBatchLoader(IBlobStore blobs, int thumbnailSize, HttpClient? http = null)
{
    public async Task<LoadedImages> LoadAsync(string corpusId, IReadOnlyList<CorpusItem> items, ClipPreprocessor preprocessor,
        CancellationToken cancellationToken)
    {
        int per = preprocessor.FloatsPerImage;
        var pixels = new float[items.Count * per];
        var ok = new bool[items.Count];
        var thumbnails = new byte[items.Count][];
        var errors = new string?[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), cancellationToken, async (i, ct) =>
        {
            try
            {
                var bytes = await ReadAsync(items[i].Location, ct);
                thumbnails[i] = Prepare(bytes, items[i].Location, preprocessor, pixels.AsSpan(i * per, per), thumbnailSize);
                ok[i] = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors[i] = e.Message;
            }
        });

        var hashes = await StoreThumbnailsAsync(thumbnails, ok, errors, cancellationToken);
        int n = ok.Count(b => b);
        var packed = n == items.Count ? pixels : new float[n * per];
        var refs = new ImageRef[n];
        var labels = new string?[n];
        var failures = new List<FailedFile>();
        for (int i = 0, j = 0; i < items.Count; i++)
        {
            if (!ok[i]) { failures.Add(new FailedFile(items[i].ImageId, errors[i] ?? "unreadable")); continue; }
            if (!ReferenceEquals(packed, pixels)) pixels.AsSpan(i * per, per).CopyTo(packed.AsSpan(j * per, per));
            refs[j] = new ImageRef(corpusId, items[i].ImageId, hashes[i]);
            labels[j++] = items[i].Label;
        }
        return new LoadedImages(packed, refs, labels, [.. failures]);
    }

    /// <summary>
    /// One image's share of a batch: decodes <paramref name="bytes"/> (<paramref name="name"/> names it in errors),
    /// preprocesses it for CLIP into <paramref name="pixels"/> and returns its thumbnail as PNG.
    /// </summary>
    internal static byte[] Prepare(byte[] bytes, string name, ClipPreprocessor preprocessor, Span<float> pixels, int thumbnailSize)
    {
        var image = ImageCodec.Decode(bytes, name);
        preprocessor.Preprocess(image, pixels);
        return ImageCodec.ThumbnailPng(bytes, image, thumbnailSize);
    }

    /// <summary>
    /// Stores the thumbnails of the images that decoded, together (one sync for the batch where the store can); returns
    /// their hashes by item. If the store fails, those images become failures naming why, as a file that cannot be read does.
    /// </summary>
    async Task<string[]> StoreThumbnailsAsync(byte[][] thumbnails, bool[] ok, string?[] errors, CancellationToken cancellationToken)
    {
        var stored = Enumerable.Range(0, ok.Length).Where(i => ok[i]).ToArray();
        var hashes = new string[ok.Length];
        try
        {
            var put = await blobs.PutManyAsync([.. stored.Select(i => (ReadOnlyMemory<byte>)thumbnails[i])], cancellationToken);
            for (int j = 0; j < stored.Length; j++) hashes[stored[j]] = put[j];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            foreach (int i in stored) { ok[i] = false; errors[i] = $"its thumbnail could not be stored: {e.Message}"; }
        }
        return hashes;
    }

    async Task<byte[]> ReadAsync(string location, CancellationToken ct)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            if (http is null) throw new InvalidOperationException($"{location}: URL corpora need an HTTP client");
            return await http.GetByteArrayAsync(uri, ct);
        }
        return await File.ReadAllBytesAsync(location, ct);
    }
}
