using Actors.Blobs;
using Actors.Grains.Blobs;
using Actors.GpuHost.Ingestion;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Tests.Ingestion;

public sealed class ImageBatchLoaderTests : IDisposable
{
    const int ThumbnailSize = 128;
    readonly string folder = Directory.CreateTempSubdirectory("image-batch-loader-").FullName;
    static readonly ClipPreprocessor Preprocessor = new(imageSize: 32);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A small plain PNG, a PNG larger than the thumbnail, and a file that is no image.</summary>
    CorpusItem[] Corpus()
    {
        var small = ImageCodec.EncodePng(Pattern(24, 20));
        var large = ImageCodec.EncodePng(Pattern(300, 200));
        File.WriteAllBytes(Path.Combine(folder, "small.png"), small);
        File.WriteAllBytes(Path.Combine(folder, "large.png"), large);
        File.WriteAllBytes(Path.Combine(folder, "broken.png"), [1, 2, 3, 4]);
        return [new("small", Path.Combine(folder, "small.png"), "a"), new("broken", Path.Combine(folder, "broken.png"), "b"),
                new("large", Path.Combine(folder, "large.png"), "c")];
    }

    static RgbImage Pattern(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 13 % 251);
        return new RgbImage(width, height, pixels);
    }

    [Fact]
    public async Task TheBatchsThumbnailsAreStoredAndTheUnreadableFileIsAFailure()
    {
        using var store = new FolderBlobStore(Path.Combine(folder, "blobs"));
        var items = Corpus();
        var loaded = await new ImageBatchLoader(store, ThumbnailSize).LoadAsync("corpus", items, Preprocessor, CancellationToken.None);

        Assert.Equal(["small", "large"], loaded.Images.Select(i => i.ImageId));
        Assert.Equal(new string?[] { "a", "c" }, loaded.Labels);
        Assert.Equal(2 * Preprocessor.FloatsPerImage, loaded.Pixels.Length);
        Assert.Equal("broken", Assert.Single(loaded.Failures).Path);
        // The small plain PNG is its own thumbnail; the large one is shrunk to the thumbnail size.
        Assert.Equal(File.ReadAllBytes(items[0].Location), await store.GetAsync(loaded.Images[0].ContentHash));
        var thumbnail = ImageCodec.Decode((await store.GetAsync(loaded.Images[1].ContentHash))!, "thumbnail");
        Assert.Equal((128, 85), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public async Task AStoreThatFailsMakesEachDecodedImageAFailureNamingWhy()
    {
        var loaded = await new ImageBatchLoader(new FailingStore(), ThumbnailSize).LoadAsync("corpus", Corpus(), Preprocessor, CancellationToken.None);

        Assert.Equal(0, loaded.Count);
        Assert.Empty(loaded.Pixels);
        var reasons = loaded.Failures.ToDictionary(f => f.Path, f => f.Reason);
        Assert.Equal(["small", "broken", "large"], reasons.Keys);
        Assert.Equal("its thumbnail could not be stored: the disk is full", reasons["small"]);
        Assert.Equal("its thumbnail could not be stored: the disk is full", reasons["large"]);
        Assert.DoesNotContain("thumbnail", reasons["broken"]);
    }

    sealed class FailingStore : IBlobStore
    {
        public Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new IOException("the disk is full");
        public Task<string[]> PutManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> contents, CancellationToken cancellationToken = default) => throw new IOException("the disk is full");
        public Task<byte[]?> GetAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult<byte[]?>(null);
        public Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }
}
