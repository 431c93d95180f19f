using System.Security.Cryptography;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Latents;
using Actors.Grains.Sketches;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit.Abstractions;

namespace Actors.Grains.Tests.Sketches;

/// <summary>
/// The packed forms that latent state is stored and sent in (<see cref="ReferencePacking"/>, the histogram's
/// surrogate): every field comes back bit for bit, damaged bytes are refused by name, and a latent's stored state is
/// what the packing is for — well under the object form it replaced.
/// </summary>
public class PackedFormTests(ITestOutputHelper output)
{
    static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
    static readonly string[] Labels = ["duck", "water", "a car", "café"];

    static string Sha256Hex(int i) => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)));

    /// <summary>References as a latent holds them, with the cases the format branches on mixed in.</summary>
    static ReferenceImage[] RandomReferences(Random rng)
    {
        var list = new ReferenceImage[rng.Next(0, 20)];
        for (int n = 0; n < list.Length; n++)
        {
            string hash = rng.Next(4) switch { 0 => "h" + n, 1 => Sha256Hex(n).ToUpperInvariant(), _ => Sha256Hex(n) };
            // Ids past 42 characters (and with multi-byte UTF-8) take the writer's two-pass string path; grids past
            // 128 cells take multi-byte cell indices.
            string corpus = rng.Next(3) switch { 0 => "other", 1 => "korpus-ä-" + new string('é', rng.Next(30, 60)), _ => "world" };
            int width = rng.Next(4) switch { 0 => 0, 1 => 14, 2 => 16, _ => 8 };
            var cells = new float[width * width];
            double density = rng.NextDouble();
            for (int c = 0; c < cells.Length; c++) if (rng.NextDouble() < density) cells[c] = (float)(rng.NextDouble() * 5);
            double activation = rng.Next(10) == 0 ? double.NaN : rng.NextDouble() * 3;
            string image = rng.Next(5) == 0 ? $"deep/{new string('d', rng.Next(30, 200))}/{n}.png" : $"test/{rng.Next(100_000):D6}.png";
            list[n] = new ReferenceImage(new ImageRef(corpus, image, hash), activation,
                rng.Next(4) == 0 ? null : Labels[rng.Next(Labels.Length)], width, cells);
        }
        return list;
    }

    [Fact]
    public void PackedReferencesComeBackFieldForField()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var original = RandomReferences(new Random(seed));
            var back = ReferencePacking.Unpack(ReferencePacking.Pack(original));
            Assert.Equal(original.Length, back.Length);
            for (int n = 0; n < original.Length; n++)
            {
                var (e, a) = (original[n], back[n]);
                Assert.Equal(e.Image, a.Image);
                Assert.Equal(BitConverter.DoubleToInt64Bits(e.Activation), BitConverter.DoubleToInt64Bits(a.Activation));
                Assert.Equal(e.Label, a.Label);
                Assert.Equal(e.PatchHeatmap.Width, a.PatchHeatmap.Width);
                Assert.Equal(e.PatchHeatmap.Peak, a.PatchHeatmap.Peak);
                Assert.Equal(e.PatchHeatmap.Levels, a.PatchHeatmap.Levels);
            }
        }
    }

    /// <summary>
    /// The bytes are the layout ReferencePacking documents, written here the plainest way (a list of bytes, a
    /// varint helper, every choice spelled out), so a faster writer cannot drift from the stored format.
    /// </summary>
    [Fact]
    public void PackedBytesFollowTheDocumentedLayout()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var references = RandomReferences(new Random(seed));
            Assert.Equal(DocumentedLayout(references), ReferencePacking.Pack(references));
        }
    }

    static byte[] DocumentedLayout(ReferenceImage[] references)
    {
        var bytes = new List<byte>();
        void Varint(ulong v) { while (v >= 0x80) { bytes.Add((byte)(v | 0x80)); v >>= 7; } bytes.Add((byte)v); }
        void Text(string? s)
        {
            if (s is null) { Varint(0); return; }
            var utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            Varint((ulong)utf8.Length + 1);
            bytes.AddRange(utf8);
        }
        bytes.Add(1);                                            // version
        Varint((ulong)references.Length);
        string? previous = null;
        foreach (var r in references)
        {
            bytes.AddRange(BitConverter.GetBytes(r.Activation));   // little-endian on every platform we run on
            if (r.Image.CorpusId == previous) Varint(0); else Text(r.Image.CorpusId);
            previous = r.Image.CorpusId;
            Text(r.Image.ImageId);
            string hash = r.Image.ContentHash;
            if (hash.Length == 64 && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')) { bytes.Add(1); bytes.AddRange(Convert.FromHexString(hash)); }
            else { bytes.Add(0); Text(hash); }
            Text(r.Label);
            var heatmap = r.PatchHeatmap;
            Varint((ulong)heatmap.Width);
            if (heatmap.Width == 0) continue;
            bytes.AddRange(BitConverter.GetBytes(heatmap.Peak));
            Varint((ulong)heatmap.Levels.Length);
            int nonZero = heatmap.Levels.Count(l => l != 0);
            if (2 * nonZero + 2 < heatmap.Levels.Length)
            {
                bytes.Add(1);
                Varint((ulong)nonZero);
                for (int cell = 0; cell < heatmap.Levels.Length; cell++)
                    if (heatmap.Levels[cell] != 0) { Varint((ulong)cell); bytes.Add(heatmap.Levels[cell]); }
            }
            else { bytes.Add(0); bytes.AddRange(heatmap.Levels); }
        }
        return [.. bytes];
    }

    [Fact]
    public void DamagedPackedReferencesAreRefusedNotMisread()
    {
        var packed = ReferencePacking.Pack(RandomReferences(new Random(3)).Where(r => r.HeatmapWidth > 0).Take(3).ToArray());
        Assert.Contains("end early", Assert.Throws<InvalidDataException>(() => ReferencePacking.Unpack(packed[..^1])).Message);
        Assert.Contains("bytes left", Assert.Throws<InvalidDataException>(() => ReferencePacking.Unpack([.. packed, 0])).Message);
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => ReferencePacking.Unpack([9, .. packed[1..]])).Message);
    }

    [Fact]
    public void HistogramsComeBackCountForCountEmptyAndFullIncluded()
    {
        var full = new LogHistogram(Enumerable.Range(1, LogHistogram.Length).Select(i => (long)i << 40).ToArray());
        var rng = new Random(5);
        foreach (var h in new[] { new LogHistogram(), full }.Concat(Enumerable.Range(0, 50).Select(_ => new SketchGen(rng.Next()).Histogram())))
            Assert.Equal(h.Counts, Serializer.Deserialize<LogHistogram>(Serializer.SerializeToArray(h))!.Counts);
    }

    [Fact]
    public void ALatentsStoredStateIsUnderSixTenthsOfItsObjectForm()
    {
        // A latent of the world's SAE after one corpus: 16 reference images with SHA-256 content hashes and 8×8
        // heatmaps, a few histogram bins, ten classes. Stored as objects (before the packing) this was 3,441 bytes.
        var layout = new TokenLayout(65, true);
        var builder = new LatentDeltaBuilder(layout, 16);
        var sketch = builder.NewSketch();
        var rng = new Random(1);
        string[] classes = ["duck", "cat", "dog", "car", "tree", "boat", "house", "fish", "bird", "cow"];
        for (int i = 0; i < 300; i++)
        {
            var tokens = Enumerable.Range(0, 65).Where(_ => rng.Next(10) == 0).ToArray();
            builder.AddImage(sketch, new ImageRef("world", $"test/{i:D6}.png", Sha256Hex(i)), classes[rng.Next(10)], tokens,
                tokens.Select(_ => (float)rng.NextDouble() * 3).ToArray());
        }
        var state = new LatentState();
        state.Ledger.TryAddRange("world", 0, 31, -1);
        state.Sketch.MergeFrom(sketch);
        int bytes = Serializer.SerializeToArray(state).Length;
        output.WriteLine($"stored latent state: {bytes} bytes");
        Assert.True(bytes < 3441 * 6 / 10, $"a latent's state takes {bytes} bytes");
    }
}
