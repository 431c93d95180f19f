using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Api.Tests.Fixtures;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Clip;

namespace Actors.Api.Tests.Functional;

/// <summary>
/// Registering a model, an SAE or a vocabulary from files that cannot be used is the caller's fault: each answers 400
/// validation problem details on the field at fault, with a message naming the problem — never 500. The files are
/// made from the test world's tiny model and SAE (width 32), broken one way each.
/// </summary>
public sealed class BadArtifactTests(ModelApiFixture fixture) : IClassFixture<ModelApiFixture>
{
    HttpClient Client => fixture.Client;
    TestWorld World => fixture.World;

    /// <summary>Bad model artifacts by name: each makes its files and says what the message must mention.</summary>
    static readonly Dictionary<string, Func<ModelApiFixture, (string Path, string Mentions)>> BadModels = new()
    {
        ["an empty folder"] = f => (f.NewFolder(), "no model weights (model.safetensors"),
        ["a folder with config.json but no weights"] = f =>
        {
            string folder = f.NewFolder();
            File.Copy(Path.Combine(f.World.ModelFolder, "config.json"), Path.Combine(folder, "config.json"));
            return (folder, "no model weights (model.safetensors");
        },
        ["a path that does not exist"] = f => (Path.Combine(f.Scratch, "no-such-model"), "no CLIP model folder or weights file at"),
        ["a text file instead of a folder"] = f =>
        {
            string file = Path.Combine(f.NewFolder(), "notes.txt");
            File.WriteAllText(file, "not a model");
            return (file, "unsupported weights file type");
        },
        ["garbage bytes as model.safetensors"] = f =>
        {
            string folder = f.NewFolder();
            File.Copy(Path.Combine(f.World.ModelFolder, "config.json"), Path.Combine(folder, "config.json"));
            File.WriteAllBytes(Path.Combine(folder, "model.safetensors"), Garbage(4096));
            return (folder, "model.safetensors");
        },
        ["weights of another shape than config.json says"] = f =>
        {
            string folder = f.NewFolder();
            File.Copy(Path.Combine(f.World.ModelFolder, "model.safetensors"), Path.Combine(folder, "model.safetensors"));
            var config = RandomClipModel.Preset("tiny");
            File.WriteAllText(Path.Combine(folder, "config.json"), (config with { Vision = config.Vision with { HiddenSize = 48 } }).ToJson());
            return (folder, "tensor '");
        },
        ["Hugging Face weights without config.json"] = f =>
        {
            string folder = f.NewFolder();
            File.Copy(Path.Combine(f.World.ModelFolder, "model.safetensors"), Path.Combine(folder, "model.safetensors"));
            return (folder, "no config.json in");
        },
    };

    public static TheoryData<string> BadModelNames => [.. BadModels.Keys];

    [Theory]
    [MemberData(nameof(BadModelNames))]
    public async Task RegisteringAModelFromBadFilesIsA400OnPathNamingTheProblem(string artifact)
    {
        var (path, mentions) = BadModels[artifact](fixture);
        var response = await Client.PostAsync("/api/models", new { id = "bad-model", path });
        await AssertInvalidAsync(response, "path", mentions, artifact);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/bad-model")).StatusCode);
    }

    /// <summary>Bad SAE artifacts by name: the request's extra fields, the field at fault and what the message must mention.</summary>
    static readonly Dictionary<string, Func<ModelApiFixture, (string Path, string? Release, string Field, string Mentions)>> BadSaes = new()
    {
        ["a path that does not exist"] = f => (Path.Combine(f.Scratch, "no-such-sae"), null, "path", "no SAELens folder or .pt file at"),
        ["an empty folder"] = f => (f.NewFolder(), null, "path", $"missing {SaeLensFolder.ConfigFile}"),
        ["a folder with cfg.json but no weights"] = f =>
        {
            string folder = f.NewFolder();
            File.Copy(Path.Combine(f.World.SaeFolder, SaeLensFolder.ConfigFile), Path.Combine(folder, SaeLensFolder.ConfigFile));
            return (folder, null, "path", $"missing {SaeLensFolder.WeightsFile}");
        },
        ["a cfg.json that is not JSON"] = f =>
        {
            string folder = CopyOfWorldSae(f);
            File.WriteAllText(Path.Combine(folder, SaeLensFolder.ConfigFile), "{ d_in: ");
            return (folder, null, "path", SaeLensFolder.ConfigFile);
        },
        ["garbage bytes as sae_weights.safetensors"] = f =>
        {
            string folder = CopyOfWorldSae(f);
            File.WriteAllBytes(Path.Combine(folder, SaeLensFolder.WeightsFile), Garbage(4096));
            return (folder, null, "path", SaeLensFolder.WeightsFile);
        },
        ["weights of another shape than cfg.json says"] = f =>
        {
            string folder = CopyOfWorldSae(f);
            string cfg = Path.Combine(folder, SaeLensFolder.ConfigFile);
            var json = JsonNode.Parse(File.ReadAllText(cfg))!;
            json["d_sae"] = TestWorld.DSae / 2;
            File.WriteAllText(cfg, json.ToJsonString());
            return (folder, null, "path", "W_enc");
        },
        ["an SAE on another width than the model's"] = f =>
        {
            string folder = f.NewFolder();
            SaeLensFolder.Write(folder, SparseAutoencoder.CreateRandom(new TopKSaeConfig(48, TestWorld.DSae, TestWorld.K), 3));
            return (folder, null, "path", "the SAE reads d_in 48");
        },
        ["a .pt file without its release"] = f =>
        {
            string file = Path.Combine(f.NewFolder(), "sae.pt");
            File.WriteAllBytes(file, Garbage(512));
            return (file, null, "path", "needs its release project");
        },
        ["garbage bytes as a .pt release"] = f =>
        {
            string file = Path.Combine(f.NewFolder(), "sae.pt");
            File.WriteAllBytes(file, Garbage(512));
            return (file, "vit-prisma", "path", "sae.pt");
        },
        ["an unknown release"] = f => (Path.Combine(f.NewFolder(), "sae.pt"), "sae-lens-9", "release", "release 'sae-lens-9' is not one of"),
    };

    public static TheoryData<string> BadSaeNames => [.. BadSaes.Keys];

    [Theory]
    [MemberData(nameof(BadSaeNames))]
    public async Task RegisteringAnSaeFromBadFilesIsA400NamingTheProblem(string artifact)
    {
        var (path, release, field, mentions) = BadSaes[artifact](fixture);
        var response = await Client.PostAsync("/api/saes", new { id = "bad-sae", modelId = ModelApiFixture.ModelId, path, release });
        await AssertInvalidAsync(response, field, mentions, artifact);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/saes/bad-sae")).StatusCode);
    }

    [Fact]
    public async Task AVocabularyOnAModelWithoutTokenizerFilesIsA400OnModelIdNamingTheMissingTokenizer()
    {
        // Weights and config.json register (registration checks the towers, not the tokenizer) but cannot embed text.
        string folder = fixture.NewFolder();
        File.Copy(Path.Combine(World.ModelFolder, "model.safetensors"), Path.Combine(folder, "model.safetensors"));
        File.Copy(Path.Combine(World.ModelFolder, "config.json"), Path.Combine(folder, "config.json"));
        var model = await Client.PostAsync("/api/models", new { id = "no-tokenizer", path = folder });
        Assert.Equal(HttpStatusCode.Created, model.StatusCode);

        var response = await Client.PutAsync("/api/vocabularies/untokenized?modelId=no-tokenizer", new StringContent("red\nblue", Encoding.UTF8, "text/plain"));
        await AssertInvalidAsync(response, "modelId", "No tokenizer in", "a model folder without vocab.json and merges.txt");
        Assert.DoesNotContain("untokenized", await Client.GetAsync<string[]>("/api/vocabularies"));
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/> with a message holding <paramref name="mentions"/>.</summary>
    internal static async Task AssertInvalidAsync(HttpResponseMessage response, string field, string mentions, string what)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{what}: the problem does not name '{field}': {body}");
        Assert.True(messages.EnumerateArray().Any(m => m.GetString()!.Contains(mentions, StringComparison.Ordinal)),
            $"{what}: no message on '{field}' mentions \"{mentions}\": {body}");
    }

    static string CopyOfWorldSae(ModelApiFixture f)
    {
        string folder = f.NewFolder();
        foreach (var file in Directory.GetFiles(f.World.SaeFolder)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    static byte[] Garbage(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
