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
            string corpus = rng.Next(3) == 0 ? "other" : "world";
            var cells = new float[rng.Next(3) == 0 ? 0 : 64];
            double density = rng.NextDouble();
            for (int c = 0; c < cells.Length; c++) if (rng.NextDouble() < density) cells[c] = (float)(rng.NextDouble() * 5);
            double activation = rng.Next(10) == 0 ? double.NaN : rng.NextDouble() * 3;
            list[n] = new ReferenceImage(new ImageRef(corpus, $"test/{rng.Next(100_000):D6}.png", hash), activation,
                rng.Next(4) == 0 ? null : Labels[rng.Next(Labels.Length)], cells.Length == 0 ? 0 : 8, cells);
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
