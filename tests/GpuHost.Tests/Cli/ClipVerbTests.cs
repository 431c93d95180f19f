using System.Text.Json;
using Actors.GpuHost.Cli;
using Actors.Tensors.Backends;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;

namespace Actors.GpuHost.Tests.Cli;

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>The CLIP command-line verbs run in-process on a generated model and a folder of generated PNGs.</summary>
[Collection("console")]
public sealed class ClipVerbTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("clip-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static (int Code, string Out, string Err) Run(ICliVerb verb, params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o); Console.SetError(e);
        try { return (verb.Build().Parse(args).Invoke(), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    string MakeImages()
    {
        string dir = Path.Combine(root, "images");
        Directory.CreateDirectory(dir);
        var rng = new Random(41);
        for (int n = 0; n < 3; n++)
        {
            var img = RgbImage.Blank(40 + 7 * n, 36);
            rng.NextBytes(img.Pixels);
            File.WriteAllBytes(Path.Combine(dir, $"img{n}.png"), ImageCodec.EncodePng(img));
        }
        File.WriteAllText(Path.Combine(dir, "broken.png"), "not a png");
        return dir;
    }

    [Fact]
    public void GenerateModelWritesAFolderTheLoaderReads()
    {
        string dir = Path.Combine(root, "m");
        var (code, stdout, _) = Run(new GenerateModelVerb(), "--out", dir, "--preset", "tiny", "--seed", "5");
        Assert.Equal(0, code);
        Assert.Contains("wrote tiny", stdout);
        var loaded = ClipCheckpoint.Load(dir);
        Assert.Equal(RandomClipModel.Preset("tiny"), loaded.Config);
        Assert.Equal(RandomClipModel.Generate(loaded.Config, 5).Vision.Projection, loaded.Vision.Projection);
    }

    [Fact]
    public void EmbedImagePrintsOneEmbeddingPerDecodableFileAndNamesTheBrokenOne()
    {
        string dir = Path.Combine(root, "m");
        RandomClipModel.Write(dir, RandomClipModel.Preset("tiny"), 6);
        string images = MakeImages();
        var files = Directory.GetFiles(images).Order(StringComparer.Ordinal).ToArray();
        var (code, stdout, stderr) = Run(new EmbedImageVerb(), ["--model", dir, .. files]);
        Assert.Equal(1, code);
        Assert.Contains("broken.png", stderr);
        var rows = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, rows.GetArrayLength());
        // Same numbers as preprocessing + encoding directly.
        var model = new ClipModel(new CpuBackend(), ClipCheckpoint.Load(dir));
        var pre = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(dir, "preprocessor_config.json"));
        var first = rows[0];
        var expected = model.Vision.Encode(pre.Preprocess(first.GetProperty("image").GetString()!), 1);
        var got = first.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-4); // batched vs single sgemm blocking
    }

    [Fact]
    public void ActivationOverridesTheFoldersAndTheChoiceIsReportedOnStderr()
    {
        string dir = Path.Combine(root, "m");
        RandomClipModel.Write(dir, RandomClipModel.Preset("tiny"), 8);   // config.json: quick_gelu
        string image = Directory.GetFiles(MakeImages(), "img0.png").Single();
        float[] Embedding(string stdout) => JsonDocument.Parse(stdout).RootElement[0].GetProperty("embedding")
            .EnumerateArray().Select(e => e.GetSingle()).ToArray();

        var (code, plain, plainErr) = Run(new EmbedImageVerb(), "--model", dir, image);
        var (codeGelu, gelu, geluErr) = Run(new EmbedImageVerb(), "--model", dir, "--activation", "gelu", image);
        Assert.Equal(0, code);
        Assert.Equal(0, codeGelu);
        Assert.Contains("quick_gelu", plainErr);
        Assert.Contains("gelu, stated by the caller", geluErr);
        var pre = ClipPreprocessor.FromPreprocessorConfig(Path.Combine(dir, "preprocessor_config.json"));
        var expected = ClipModel.Load(dir, activation: Tensors.Kernels.ActivationKind.Gelu).Vision.Encode(pre.Preprocess(image), 1);
        var got = Embedding(gelu);
        for (int i = 0; i < got.Length; i++) Assert.Equal(expected[i], got[i], 1e-4);
        Assert.True(Embedding(plain).Zip(got).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);

        Assert.NotEqual(0, Run(new EmbedImageVerb(), "--model", dir, "--activation", "swish", image).Code);
    }

    [Fact]
    public void ZeroShotPrintsAProbabilityPerLabelForEveryImage()
    {
        string dir = Path.Combine(root, "m");
        RandomClipModel.Write(dir, RandomClipModel.Preset("tiny"), 7);
        var (code, stdout, stderr) = Run(new ZeroShotVerb(), "--model", dir, "--images", MakeImages(),
            "--labels", "cat,dog,red star", "--templates", "a photo of a {}.|a picture of the {}");
        Assert.Equal(0, code);
        Assert.Contains("broken.png", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            var row = JsonDocument.Parse(line).RootElement;
            var probs = row.GetProperty("probabilities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            Assert.Equal(["cat", "dog", "red star"], probs.Keys);
            Assert.Equal(1.0, probs.Values.Sum(), 4);
            Assert.Equal(probs.MaxBy(p => p.Value).Key, row.GetProperty("top").GetString());
        }
    }
}

/// <summary>The generated vocabulary read by the real CLIP tokenizer, through the tokenize verb.</summary>
[Collection("console")]
public sealed class TokenizeVerbTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("clip-tok-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TokenizePrintsWholeWordTokensOfTheGeneratedVocabularyAsOneJsonArray()
    {
        TinyClipVocabulary.Write(dir);
        var (oldOut, o) = (Console.Out, new StringWriter());
        Console.SetOut(o);
        int code;
        try { code = new TokenizeVerb().Build().Parse(["--model", dir, "A photo of the  CAT!"]).Invoke(); }
        finally { Console.SetOut(oldOut); }
        Assert.Equal(0, code);
        var tokens = TinyClipVocabulary.Tokens().ToList();
        int[] expected =
        [
            TinyClipVocabulary.StartOfTextId, tokens.IndexOf("a</w>"), tokens.IndexOf("photo</w>"), tokens.IndexOf("of</w>"),
            tokens.IndexOf("the</w>"), tokens.IndexOf("cat</w>"), tokens.IndexOf("!</w>"), TinyClipVocabulary.EndOfTextId,
        ];
        Assert.DoesNotContain(-1, expected);
        Assert.Equal(expected, JsonSerializer.Deserialize<int[]>(o.ToString().Trim()));
        Assert.Single(o.ToString().Trim().Split('\n'));
    }
}
