using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.Api.Tests.Fixtures;

/// <summary>
/// Everything a test ingests, written to a temp folder: a tiny random CLIP (Hugging Face layout, 17 vision
/// tokens, width 32), a random top-k SAE on its vision width, and a corpus folder with one sub-folder per class
/// of PNGs whose colours and inner squares vary (so different latents fire on different images), optionally
/// with a corrupt file (random bytes named .png) and a truncated PNG that ingestion must list, not die on.
/// </summary>
public sealed class TestWorld : IDisposable
{
    public const int Layer = 0;            // the tiny model has layers 0..1: the first block's output is a middle point
    public const int DSae = 96, K = 6;
    public const string CorruptFile = "blue/corrupt.png", TruncatedFile = "red/truncated.png";
    public static readonly string[] Classes = ["blue", "green", "red"];
    static readonly int[] ClassChannel = [2, 1, 0];   // the RGB channel each class is dominated by

    public string Root { get; }
    public string ModelFolder => Path.Combine(Root, "model");
    public string SaeFolder => Path.Combine(Root, "sae");
    public string CorpusFolder => Path.Combine(Root, "corpus");
    public int VisionWidth { get; }
    public int TokensPerImage { get; }
    /// <summary>Corpus ids (relative paths) of the images that decode, in the corpus's ordinal order.</summary>
    public IReadOnlyList<string> GoodImages { get; }

    TestWorld(string root, int imagesPerClass, bool withBadFiles, int seed)
    {
        Root = root;
        var config = RandomClipModel.Preset("tiny");
        RandomClipModel.Write(ModelFolder, config, seed);
        VisionWidth = config.Vision.HiddenSize;
        TokensPerImage = config.Vision.Tokens;
        SaeLensFolder.Write(SaeFolder, SparseAutoencoder.CreateRandom(new TopKSaeConfig(VisionWidth, DSae, K), seed + 1));

        var good = new List<string>();
        var rng = new Random(seed + 2);
        for (int c = 0; c < Classes.Length; c++)
        {
            Directory.CreateDirectory(Path.Combine(CorpusFolder, Classes[c]));
            for (int i = 0; i < imagesPerClass; i++)
            {
                string id = $"{Classes[c]}/{i:D3}.png";
                File.WriteAllBytes(Path.Combine(CorpusFolder, id), ImageCodec.EncodePng(Scene(c, i, rng)));
                good.Add(id);
            }
        }
        if (withBadFiles)
        {
            var junk = new byte[700];
            rng.NextBytes(junk);
            File.WriteAllBytes(Path.Combine(CorpusFolder, CorruptFile), junk);
            var png = ImageCodec.EncodePng(Scene(0, 99, rng));
            File.WriteAllBytes(Path.Combine(CorpusFolder, TruncatedFile), png[..(png.Length / 2)]);
        }
        GoodImages = [.. good.Order(StringComparer.Ordinal)];
    }

    public static TestWorld Create(int imagesPerClass, bool withBadFiles, int seed = 7)
    {
        string root = Path.Combine(Path.GetTempPath(), "api-tests-" + Guid.NewGuid().ToString("N")[..12]);
        return new TestWorld(root, imagesPerClass, withBadFiles, seed);
    }

    /// <summary>
    /// A 40×36 image (not square, so resize and centre crop both act): the class's base colour at a per-image
    /// brightness, a square of another colour at a per-image place and size, and a little noise.
    /// </summary>
    static RgbImage Scene(int cls, int index, Random rng)
    {
        const int w = 40, h = 36;
        var px = new byte[w * h * 3];
        double brightness = 0.45 + 0.55 * ((index * 37) % 11) / 10.0;
        var square = new[] { (byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256) };
        int side = 8 + (index * 5) % 14, x0 = (index * 11) % (w - side), y0 = (index * 7) % (h - side);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int o = (y * w + x) * 3;
                bool inSquare = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                for (int ch = 0; ch < 3; ch++)
                {
                    double v = inSquare ? square[ch] : (ch == ClassChannel[cls] ? 230 * brightness : 30 * brightness);
                    px[o + ch] = (byte)Math.Clamp(v + rng.Next(-12, 13), 0, 255);
                }
            }
        return new RgbImage(w, h, px);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
