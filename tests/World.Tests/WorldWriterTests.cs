using Actors.Vision.Imaging;

namespace Actors.World.Tests;

public sealed class WorldWriterTests
{
    static string TempDir() => Directory.CreateTempSubdirectory("actors-world-").FullName;

    [Fact]
    public void SameSeedWritesByteIdenticalFilesAndManifest()
    {
        string a = TempDir(), b = TempDir();
        string ma = WorldWriter.Write(a, WorldSplit.Typographic, 12, seed: 21);
        string mb = WorldWriter.Write(b, WorldSplit.Typographic, 12, seed: 21);
        Assert.Equal(File.ReadAllBytes(ma), File.ReadAllBytes(mb));
        foreach (var e in WorldManifest.Read(ma))
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, e.Path)), File.ReadAllBytes(Path.Combine(b, e.Path)));
    }

    [Fact]
    public void ManifestRoundTripsEveryFactorAndTheImagesDecodeToTheRenderedScene()
    {
        string dir = TempDir();
        string manifest = WorldWriter.Write(dir, WorldSplit.SpuriousTest, 8, seed: 4, imageSize: 48);
        var items = WorldSplits.Generate(WorldSplit.SpuriousTest, 8, 4);
        var entries = WorldManifest.Read(manifest);
        Assert.Equal(8, entries.Count);
        for (int i = 0; i < 8; i++)
        {
            var e = entries[i];
            Assert.Equal(WorldManifest.WorldVersion, e.WorldVersion);
            Assert.Equal("spurious-test", e.Split);
            Assert.Equal(items[i].Factors, e.ToFactors());
            Assert.Equal(items[i].Label, e.Label);
            Assert.Equal(items[i].Caption, e.Caption);
            Assert.Equal(items[i].Group, e.Group);
            Assert.Equal(48, e.ImageSize);
            var decoded = ImageCodec.Decode(Path.Combine(dir, e.Path));
            Assert.Equal(SceneRenderer.Render(e.ToFactors(), 48).Pixels, decoded.Pixels);
        }
        string firstLine = File.ReadLines(manifest).First();
        Assert.Contains("\"world_version\":2", firstLine);
        Assert.Contains("\"written_class\":null", firstLine);
    }

    [Fact]
    public void AMalformedManifestLineIsReportedWithItsLineNumber()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "bad.jsonl");
        File.WriteAllText(path, "{\"index\": \"x\"}\n");
        var ex = Assert.Throws<InvalidDataException>(() => WorldManifest.Read(path));
        Assert.Contains("bad.jsonl:1", ex.Message);
    }
}
