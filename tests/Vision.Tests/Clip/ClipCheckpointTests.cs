using Actors.Tensors.Backends;
using Actors.Vision.Checkpoints;
using Actors.Vision.Clip;
using Xunit.Abstractions;
using static Actors.Vision.Tests.Clip.ClipTestData;

namespace Actors.Vision.Tests.Clip;

/// <summary>Both checkpoint layouts, written by the generator and read back by the real loaders.</summary>
public sealed class ClipCheckpointTests(ITestOutputHelper output) : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("clip-ckpt-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string Dir(string name) => Path.Combine(root, name);

    [Fact]
    public void HuggingFaceFolderRoundTripsEveryParameterBitForBit()
    {
        var written = RandomClipModel.Write(Dir("hf"), Tiny, seed: 21);
        var loaded = ClipCheckpoint.Load(Dir("hf"));
        Assert.Equal(Tiny, loaded.Config);
        Assert.Empty(loaded.UnusedTensors);
        var a = HuggingFaceClipLayout.ToTensors(written).ToList();
        var b = HuggingFaceClipLayout.ToTensors(loaded).ToDictionary(t => t.Name);
        foreach (var t in a) Assert.Equal(t.Data, b[t.Name].Data);
        foreach (var f in new[] { "config.json", "model.safetensors", "vocab.json", "merges.txt", "preprocessor_config.json" })
            Assert.True(File.Exists(Path.Combine(Dir("hf"), f)), f);
    }

    [Fact]
    public void OpenClipLayoutGivesTheSameOutputsAsTheHuggingFaceLayout()
    {
        var weights = RandomClipModel.Write(Dir("hf"), Tiny, seed: 22);
        RandomClipModel.WriteOpenClip(Dir("oc"), weights);
        // Tiny's head count (4 of width 32) is not OpenAI's width/64, so the config travels with the state dict.
        var fromHf = new ClipModel(new CpuBackend(), ClipCheckpoint.Load(Dir("hf")));
        var fromOc = new ClipModel(new CpuBackend(), ClipCheckpoint.Load(Path.Combine(Dir("oc"), "open_clip_model.safetensors"), Tiny));
        var pixels = Pixels(Tiny, 2, 3);
        var ids = TokenRows(Tiny, [2, 6], 4);
        Assert.Equal(fromHf.Vision.Encode(pixels, 2), fromOc.Vision.Encode(pixels, 2));
        Assert.Equal(fromHf.Text.Encode(ids, 2), fromOc.Text.Encode(ids, 2));
        Assert.Equal(fromHf.LogitScale, fromOc.LogitScale);
    }

    [Fact]
    public void OpenClipConfigIsInferredFromShapesWithOpenAIsHeadWidth()
    {
        var config = Tiny with
        {
            Vision = Tiny.Vision with { HiddenSize = 128, Heads = 2, IntermediateSize = 96 },
            Text = Tiny.Text with { HiddenSize = 64, Heads = 1, Pooling = EotPooling.ArgMaxId, PadTokenId = 0 },
        };
        RandomClipModel.WriteOpenClip(Dir("oc"), RandomClipModel.Generate(config, 23));
        var loaded = ClipCheckpoint.Load(Dir("oc"));
        Assert.Equal(config.Vision, loaded.Config.Vision);
        Assert.Equal(config.Text, loaded.Config.Text);
        Assert.Equal(config.ProjectionDim, loaded.Config.ProjectionDim);
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        var weights = RandomClipModel.Generate(Tiny, 24);
        Directory.CreateDirectory(Dir("m"));
        File.WriteAllText(Path.Combine(Dir("m"), "config.json"), Tiny.ToJson());
        SafeTensorsFile.Write(Path.Combine(Dir("m"), "model.safetensors"),
            HuggingFaceClipLayout.ToTensors(weights).Where(t => t.Name != "vision_model.encoder.layers.1.self_attn.k_proj.bias"));
        var ex = Assert.Throws<ClipCheckpointException>(() => ClipCheckpoint.Load(Dir("m")));
        output.WriteLine(ex.Message);
        Assert.Equal("vision_model.encoder.layers.1.self_attn.k_proj.bias", ex.TensorName);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void AWrongShapeNamesTheTensorTheExpectedAndTheFoundShape()
    {
        var weights = RandomClipModel.Generate(Tiny, 25);
        Directory.CreateDirectory(Dir("s"));
        File.WriteAllText(Path.Combine(Dir("s"), "config.json"), Tiny.ToJson());
        SafeTensorsFile.Write(Path.Combine(Dir("s"), "model.safetensors"), HuggingFaceClipLayout.ToTensors(weights)
            .Select(t => t.Name == "visual_projection.weight" ? t with { Shape = [32, 16] } : t));
        var ex = Assert.Throws<ClipCheckpointException>(() => ClipCheckpoint.Load(Dir("s")));
        output.WriteLine(ex.Message);
        Assert.Equal("visual_projection.weight", ex.TensorName);
        Assert.Contains("expected shape [16, 32]", ex.Message);
        Assert.Contains("found [32, 16]", ex.Message);
    }

    [Fact]
    public void AnOpenClipProjectionStoredUntransposedIsRejected()
    {
        var weights = RandomClipModel.Generate(Tiny, 26);
        var tensors = OpenClipLayout.ToTensors(weights)
            .Select(t => t.Name == "visual.proj" ? t with { Shape = [16, 32] } : t).ToDictionary(t => t.Name);
        var ex = Assert.Throws<ClipCheckpointException>(() => OpenClipLayout.Read(tensors, Tiny, "test.safetensors"));
        Assert.Contains("visual.proj", ex.Message);
        Assert.Contains("expected shape [32, 16]", ex.Message);
    }

    [Fact]
    public void UnusedTensorsAreReportedByName()
    {
        var weights = RandomClipModel.Generate(Tiny, 27);
        var tensors = HuggingFaceClipLayout.ToTensors(weights)
            .Append(NamedTensor.F32("vision_model.embeddings.position_ids", [1, 17], new float[17])).ToDictionary(t => t.Name);
        var loaded = HuggingFaceClipLayout.Read(tensors, Tiny, "x");
        Assert.Equal(["vision_model.embeddings.position_ids"], loaded.UnusedTensors);
    }

    [Fact]
    public void MoreLayersThanConfiguredIsAnError()
    {
        var weights = RandomClipModel.Generate(Tiny, 28);
        var fewer = Tiny with { Vision = Tiny.Vision with { Layers = 1 } };
        var tensors = HuggingFaceClipLayout.ToTensors(weights).ToDictionary(t => t.Name);
        var ex = Assert.Throws<ClipCheckpointException>(() => HuggingFaceClipLayout.Read(tensors, fewer, "x"));
        Assert.Contains("more than the configured 1 layers", ex.Message);
    }

    [Fact]
    public void ConfigJsonRoundTripsAndUnknownActivationIsNamed()
    {
        Assert.Equal(OddGelu, ClipConfig.Parse(OddGelu.ToJson()));
        var bad = OddGelu.ToJson().Replace("\"gelu\"", "\"swish\"");
        var ex = Assert.Throws<FormatException>(() => ClipConfig.Parse(bad));
        Assert.Contains("swish", ex.Message);
    }

    [Fact]
    public void AFileInNeitherLayoutIsRefused()
    {
        Directory.CreateDirectory(Dir("x"));
        SafeTensorsFile.Write(Path.Combine(Dir("x"), "model.safetensors"), [NamedTensor.F32("foo", [1], [1f])]);
        var ex = Assert.Throws<ClipCheckpointException>(() => ClipCheckpoint.Load(Dir("x")));
        Assert.Contains("neither", ex.Message);
    }
}

public sealed class ClipTorchCheckpointTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("clip-pt-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void AnOpenClipTrainingCheckpointInTorchSaveFormatLoadsLikeTheSafetensorsOne()
    {
        var weights = RandomClipModel.Generate(Tiny, 29);
        string pt = Path.Combine(root, "epoch_1.pt");
        TorchSaveWriter.WriteTrainingCheckpoint(pt, OpenClipLayout.ToTensors(weights));
        var loaded = ClipCheckpoint.Load(pt, Tiny);
        Assert.Empty(loaded.UnusedTensors);
        var expected = HuggingFaceClipLayout.ToTensors(weights).ToList();
        var got = HuggingFaceClipLayout.ToTensors(loaded).ToDictionary(t => t.Name);
        foreach (var t in expected) Assert.Equal(t.Data, got[t.Name].Data);
    }
}
