using System.Text.Json.Nodes;
using Actors.Tensors.Backends;
using Actors.Tensors.Kernels;
using Actors.Vision.Clip;
using Xunit.Abstractions;
using static Actors.Vision.Tests.Clip.ClipTestData;

namespace Actors.Vision.Tests.Clip;

/// <summary>
/// The MLP activation a checkpoint folder is loaded with: OpenCLIP's open_clip_config.json (model_cfg.quick_gelu,
/// absent = exact GELU), Hugging Face's config.json hidden_act, a caller's override, and OpenAI's quick_gelu when
/// the folder says nothing. Embeddings are checked against the plain double reference run with the expected
/// activation, so a wrongly chosen one fails by the ~1e-2 the issue reported, not by a label.
/// </summary>
public sealed class ClipActivationTests(ITestOutputHelper output) : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("clip-act-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Dir(string name) => Path.Combine(root, name);

    /// <summary>An OpenCLIP folder: open_clip_model.safetensors plus open_clip_config.json (no config.json).</summary>
    string OpenClipFolder(string name, bool? quickGelu, int seed)
    {
        var weights = RandomClipModel.Generate(Tiny, seed);
        RandomClipModel.WriteOpenClip(Dir(name), weights);
        var model = new JsonObject
        {
            ["embed_dim"] = Tiny.ProjectionDim,
            // Tiny has 4 heads of width 8 in both towers, not OpenAI's width/64: the file must supply them.
            ["vision_cfg"] = new JsonObject { ["image_size"] = 32, ["layers"] = 2, ["width"] = 32, ["patch_size"] = 8, ["head_width"] = 8 },
            ["text_cfg"] = new JsonObject { ["context_length"] = 77, ["vocab_size"] = Tiny.Text.VocabSize, ["width"] = 32, ["heads"] = 4, ["layers"] = 2 },
        };
        if (quickGelu is { } q) model["quick_gelu"] = q;
        var file = new JsonObject { ["model_cfg"] = model, ["preprocess_cfg"] = new JsonObject { ["mean"] = new JsonArray(0.5, 0.5, 0.5) } };
        File.WriteAllText(Path.Combine(Dir(name), OpenClipModelConfig.FileName), file.ToJsonString());
        return Dir(name);
    }

    void AssertImageEmbedsUse(ActivationKind expected, ClipWeights loaded)
    {
        var pixels = Pixels(loaded.Config, batch: 2, seed: 3);
        var actual = new ClipModel(new CpuBackend(), loaded).Vision.Encode(pixels, 2);
        var right = ClipReference.From(loaded with { Config = loaded.Config.WithActivation(expected) }).ImageEmbeds(pixels, 2);
        var other = expected == ActivationKind.Gelu ? ActivationKind.QuickGelu : ActivationKind.Gelu;
        var wrong = ClipReference.From(loaded with { Config = loaded.Config.WithActivation(other) }).ImageEmbeds(pixels, 2);
        AssertClose(output, $"image embeds with {expected}", actual, right, 1e-4);
        double gap = MaxAbsDiff(actual, wrong);
        output.WriteLine($"max |diff| to the {other} reference: {gap:E2}");
        Assert.True(gap > 1e-3, $"the two activations are indistinguishable on this model ({gap:E2}): the test would prove nothing");
    }

    [Fact]
    public void AnOpenClipFolderWithoutTheQuickGeluFlagLoadsWithExactGelu()
    {
        var loaded = ClipCheckpoint.Load(OpenClipFolder("oc", quickGelu: null, seed: 41));
        Assert.Equal(ActivationKind.Gelu, loaded.Config.Vision.Activation);
        Assert.Equal(ActivationKind.Gelu, loaded.Config.Text.Activation);
        Assert.Contains(OpenClipModelConfig.FileName, loaded.ActivationSource);
        AssertImageEmbedsUse(ActivationKind.Gelu, loaded);
    }

    [Fact]
    public void AnOpenClipFolderWithQuickGeluTrueLoadsWithQuickGelu()
    {
        var loaded = ClipCheckpoint.Load(OpenClipFolder("oc", quickGelu: true, seed: 42));
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Vision.Activation);
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Text.Activation);
        AssertImageEmbedsUse(ActivationKind.QuickGelu, loaded);
    }

    [Fact]
    public void OpenClipConfigSuppliesTheHeadCountsTheShapesCannot()
    {
        var loaded = ClipCheckpoint.Load(OpenClipFolder("oc", quickGelu: false, seed: 43));
        Assert.Equal(4, loaded.Config.Vision.Heads);   // 32 / head_width 8, not 32 / 64
        Assert.Equal(4, loaded.Config.Text.Heads);
    }

    [Fact]
    public void AHuggingFaceFolderHonoursHiddenAct()
    {
        var gelu = Tiny.WithActivation(ActivationKind.Gelu);
        RandomClipModel.Write(Dir("hf"), gelu, seed: 44);
        var loaded = ClipCheckpoint.Load(Dir("hf"));
        Assert.Equal(gelu, loaded.Config);
        Assert.Contains("config.json hidden_act", loaded.ActivationSource);
        AssertImageEmbedsUse(ActivationKind.Gelu, loaded);
    }

    [Fact]
    public void AHuggingFaceConfigWithoutHiddenActGetsTransformersQuickGeluDefault()
    {
        RandomClipModel.Write(Dir("hf"), Tiny.WithActivation(ActivationKind.Gelu), seed: 45);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir("hf"), "config.json")))!.AsObject();
        json["text_config"]!.AsObject().Remove("hidden_act");
        json["vision_config"]!.AsObject().Remove("hidden_act");
        File.WriteAllText(Path.Combine(Dir("hf"), "config.json"), json.ToJsonString());
        var loaded = ClipCheckpoint.Load(Dir("hf"));
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Vision.Activation);
        Assert.Contains("no hidden_act", loaded.ActivationSource);
    }

    [Fact]
    public void TheCallersActivationWinsOverEverythingTheFolderSays()
    {
        var loaded = ClipCheckpoint.Load(OpenClipFolder("oc", quickGelu: null, seed: 46), activation: ActivationKind.QuickGelu);
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Vision.Activation);
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Text.Activation);
        Assert.Contains("stated by the caller", loaded.ActivationSource);
        AssertImageEmbedsUse(ActivationKind.QuickGelu, loaded);

        RandomClipModel.Write(Dir("hf"), Tiny, seed: 47);   // config.json says quick_gelu
        Assert.Equal(ActivationKind.Gelu, ClipModel.Load(Dir("hf"), activation: ActivationKind.Gelu).Config.Vision.Activation);
    }

    [Fact]
    public void AFolderWhoseTwoConfigsDisagreeIsRefusedUntilTheActivationIsStated()
    {
        string dir = OpenClipFolder("both", quickGelu: null, seed: 48);           // open_clip_config.json: gelu
        File.WriteAllText(Path.Combine(dir, "config.json"), Tiny.ToJson());      // config.json: quick_gelu
        var ex = Assert.Throws<ClipCheckpointException>(() => ClipCheckpoint.Load(dir));
        output.WriteLine(ex.Message);
        Assert.Contains("contradicts itself", ex.Message);
        Assert.Contains("hidden_act is 'quick_gelu'", ex.Message);
        Assert.Contains(OpenClipModelConfig.FileName, ex.Message);
        Assert.Equal(ActivationKind.Gelu, ClipCheckpoint.Load(dir, activation: ActivationKind.Gelu).Config.Text.Activation);
    }

    [Fact]
    public void AgreeingConfigsLoadWithoutComplaint()
    {
        string dir = OpenClipFolder("both", quickGelu: true, seed: 49);
        File.WriteAllText(Path.Combine(dir, "config.json"), Tiny.ToJson());      // quick_gelu in both
        Assert.Equal(ActivationKind.QuickGelu, ClipCheckpoint.Load(dir).Config.Vision.Activation);
    }

    [Fact]
    public void AFolderThatStatesNothingKeepsOpenAIsQuickGeluAndSaysSo()
    {
        var config = Tiny with
        {
            Vision = Tiny.Vision with { HiddenSize = 128, Heads = 2, IntermediateSize = 96 },
            Text = Tiny.Text with { HiddenSize = 64, Heads = 1, Pooling = EotPooling.ArgMaxId, PadTokenId = 0 },
        };
        RandomClipModel.WriteOpenClip(Dir("bare"), RandomClipModel.Generate(config.WithActivation(ActivationKind.Gelu), 50));
        var loaded = ClipCheckpoint.Load(Dir("bare"));
        Assert.Equal(ClipActivationResolver.OpenAiDefault, loaded.Config.Vision.Activation);
        Assert.Equal(ActivationKind.QuickGelu, loaded.Config.Text.Activation);
        Assert.Contains("nothing in the folder states the activation", loaded.ActivationSource);
    }

    [Fact]
    public void OpenClipConfigIsReadInBothItsHubAndItsBareForm()
    {
        Assert.False(OpenClipModelConfig.Parse("""{"model_cfg": {"embed_dim": 512, "vision_cfg": {}, "text_cfg": {}}}""").QuickGelu);
        var bare = OpenClipModelConfig.Parse("""{"embed_dim": 768, "quick_gelu": true, "vision_cfg": {"head_width": 80}, "text_cfg": {"width": 768}}""");
        Assert.Equal(new OpenClipModelConfig(true, 80, OpenClipModelConfig.DefaultTextHeads), bare);
        var ex = Assert.Throws<FormatException>(() => OpenClipModelConfig.Parse("""{"model_cfg": {"quick_gelu": "yes"}}"""));
        Assert.Contains("quick_gelu", ex.Message);
        Assert.Throws<FormatException>(() => OpenClipModelConfig.Parse("""{"preprocess_cfg": {}}"""));
    }
}
