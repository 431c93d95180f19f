using Actors.GpuHost.Ingestion;
using Actors.Grains.Blobs;
using Actors.Grains.Registry;
using Actors.Grains.Sketches;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Analysis;

/// <summary>
/// CLIP image embeddings x of reference images (seed 000 Eq. 2, 4: the class token after LN_post and the projection,
/// not normalised) with one model, each distinct image (corpus, id) embedded once however many latents share it. The
/// original image is read from its corpus and preprocessed as ingestion does; one the corpus no longer has is embedded
/// from its stored thumbnail, and one with neither is left out (counted).
/// </summary>
public sealed class ReferenceEmbeddings(CorpusImages corpora, IBlobStore blobs, LoadedModel model)
{
    const int BatchSize = 32;
    readonly Dictionary<(string Corpus, string Image), float[]> embeddings = [];
    readonly Dictionary<string, CorpusSource?> sources = new(StringComparer.Ordinal);

    public int Embedded => embeddings.Count;
    public int FromThumbnails { get; private set; }
    public int Unreadable { get; private set; }
    public int Dim => model.Model.Config.ProjectionDim;

    /// <summary>x of an image embedded before; null when it could not be read.</summary>
    public float[]? Of(ImageRef image) => embeddings.GetValueOrDefault((image.CorpusId, image.ImageId));

    /// <summary>Embeds the images not embedded yet, in batches; <paramref name="progress"/> gets the count done of the new ones.</summary>
    public async Task EmbedAsync(IEnumerable<ImageRef> images, Action<int, int> progress, CancellationToken ct)
    {
        var pending = images.DistinctBy(i => (i.CorpusId, i.ImageId)).Where(i => Of(i) is null).ToList();
        var vision = model.NewVision();   // its own buffers
        var preprocessor = model.Preprocessor;
        int per = preprocessor.FloatsPerImage, done = 0;
        foreach (var batch in pending.Chunk(BatchSize))
        {
            var decoded = await Task.WhenAll(batch.Select(i => DecodeAsync(i, ct)));
            var ok = batch.Zip(decoded).Where(p => p.Second is not null).ToList();
            if (ok.Count > 0)
            {
                var pixels = new float[ok.Count * per];
                for (int i = 0; i < ok.Count; i++) preprocessor.Preprocess(ok[i].Second!, pixels.AsSpan(i * per, per));
                var x = vision.Encode(pixels, ok.Count);
                for (int i = 0; i < ok.Count; i++) embeddings[(ok[i].First.CorpusId, ok[i].First.ImageId)] = x.AsSpan(i * Dim, Dim).ToArray();
            }
            progress(done += batch.Length, pending.Count);
        }
    }

    async Task<RgbImage?> DecodeAsync(ImageRef image, CancellationToken ct)
    {
        try
        {
            if (await ItemAsync(image.CorpusId, image.ImageId) is { } item)
                return ImageCodec.Decode(await CorpusImages.ReadAsync(item, ct), image.ImageId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or ImageDecodeException) { }
        try
        {
            if (await blobs.GetAsync(image.ContentHash, ct) is { } thumbnail)
            {
                var decoded = ImageCodec.Decode(thumbnail, image.ImageId);
                lock (embeddings) FromThumbnails++;
                return decoded;
            }
        }
        catch (ImageDecodeException) { }
        lock (embeddings) Unreadable++;
        return null;
    }

    async Task<CorpusItem?> ItemAsync(string corpusId, string imageId)
    {
        CorpusSource? source;
        lock (sources) sources.TryGetValue(corpusId, out source);
        if (source is null)
        {
            source = await corpora.SourceAsync(corpusId);
            lock (sources) sources[corpusId] = source;
        }
        return source is null ? null : corpora.Find(source, imageId);
    }
}
