using Actors.Vision.Imaging;

namespace Actors.World;

/// <summary>
/// Writes a split to disk: PNGs in {dir}/images/{split}/NNNNNN.png and the manifest {dir}/{split}.jsonl whose paths
/// are relative to {dir}. Rendering runs in parallel; files and manifest are byte-identical for equal arguments.
/// </summary>
public static class WorldWriter
{
    public static string Write(string dir, WorldSplit split, int count, ulong seed, int imageSize = 64, IProgress<int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        var items = WorldSplits.Generate(split, count, seed);
        string splitName = WorldSplits.Name(split);
        string imageDir = Path.Combine(dir, "images", splitName);
        Directory.CreateDirectory(imageDir);
        var entries = new ManifestEntry[items.Count];
        int done = 0;
        Parallel.For(0, items.Count, i =>
        {
            string relative = $"images/{splitName}/{i:D6}.png";
            File.WriteAllBytes(Path.Combine(dir, relative), ImageCodec.EncodePng(SceneRenderer.Render(items[i].Factors, imageSize)));
            entries[i] = ManifestEntry.From(items[i], split, seed, relative, imageSize);
            progress?.Report(Interlocked.Increment(ref done));
        });
        string manifest = Path.Combine(dir, WorldManifest.FileName(split));
        using (var writer = new StreamWriter(manifest, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" })
            foreach (var e in entries) writer.WriteLine(e.ToJsonLine());
        return manifest;
    }
}
