using System.Globalization;
using Actors.Analysis.Alignment;
using Actors.GpuHost.Cli;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Evaluations.World;
using Actors.GpuHost.Jobs.Steering;
using Actors.Sae;
using Actors.Tensors.Backends;
using Actors.World;

namespace Actors.GpuHost.Tests.Evaluations;

/// <summary>
/// `world-claims` on a small world: the shipped world CLIP, an SAE of 32 latents trained on 200 scenes, a few dozen
/// scenes per analysis. Every RESULT line the README promises is printed, with values in their ranges, and the plots
/// decode; a second run loads the cached SAE instead of training again and prints the same figures. Seed 001's
/// steering claims: an empty suppression changes nothing, bit for bit, and the typographic pairs differ by the word only.
/// </summary>
[Collection("console")]
public sealed class WorldClaimsTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("world-claims-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    internal static string ModelFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "models", "world-clip", "config.json"))) return Path.Combine(dir.FullName, "models", "world-clip");
        throw new DirectoryNotFoundException("models/world-clip not found above the test binaries");
    }

    string[] Run()
    {
        var (oldOut, output) = (Console.Out, new StringWriter());
        Console.SetOut(output);
        try
        {
            int code = new WorldClaimsVerb().Build().Parse(["--model", ModelFolder(), "--data", data, "--test-images", "36",
                "--reference-images", "12", "--spurious-images", "48", "--selection-images", "36", "--sae-scenes", "200",
                "--sae-epochs", "3", "--d-sae", "32", "--k", "4", "--attribute-images", "16", "--typographic-images", "16",
                "--steer-images", "2", "--plots", Path.Combine(data, "plots")]).Invoke();
            Assert.Equal(0, code);
        }
        finally { Console.SetOut(oldOut); }
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    static double Value(string[] lines, string prefix)
    {
        var line = Assert.Single(lines, l => l.StartsWith(prefix + " value=", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void EveryPromisedResultIsPrintedInRangeAndTheSaeIsTrainedOnceThenLoaded()
    {
        var lines = Run();
        foreach (var method in new[] { "actxgrad", "actxlogitlens", "logitlens", "energy", "ig", "random" })
        {
            Assert.InRange(Value(lines, $"RESULT name=deletion-auc method={method}"), -1, 1);
            Assert.InRange(Value(lines, $"RESULT name=insertion-auc method={method}"), -1, 1);
            Assert.InRange(Value(lines, $"RESULT name=random-deletion-auc method={method}"), -1, 1);
        }
        Assert.Contains(Value(lines, "RESULT name=spurious-flagged"), new[] { 0.0, 1.0 });
        Assert.True(Value(lines, "RESULT name=hidden-concepts") >= 0);
        // Each probed failure mode has all three App. D.2 probers.
        foreach (var text in lines.Where(l => l.StartsWith("RESULT name=spurious-auc ", StringComparison.Ordinal) && l.Contains(" prober=text ")))
        {
            string latent = text.Split(' ').Single(t => t.StartsWith("latent=", StringComparison.Ordinal));
            foreach (var prober in new[] { "templates", "linear" })
                Assert.InRange(Value(lines, $"RESULT name=spurious-auc {latent} prober={prober}"), 0, 1);
        }
        Assert.InRange(Value(lines, "RESULT name=word-latents-found"), 0, 32);
        foreach (var k in new[] { 1, 5, 10 })
            foreach (var selection in new[] { "class", "random" })
                Assert.InRange(Value(lines, $"RESULT name=masking-accuracy k={k} selection={selection}"), 0, 1);
        // seed 001 Sec. 7.1: water latents found on spurious-train (a water background is the most visible factor
        // there), the balanced spurious-test split classified before and after their ablation
        Assert.InRange(Value(lines, "RESULT name=suppressed-latents attribute=water"), 1, 32);
        Assert.InRange(Value(lines, "RESULT name=suppressed-latents attribute=word"), 0, 32);
        foreach (var stage in new[] { "before", "after" })
            foreach (var name in new[] { "spurious-accuracy", "worst-group-accuracy", "typo-flip", "clean-shape-accuracy", "typo-accuracy" })
                Assert.InRange(Value(lines, $"RESULT name={name} stage={stage}"), 0, 1);
        Assert.True(Value(lines, "RESULT name=worst-group-accuracy stage=before") <= Value(lines, "RESULT name=spurious-accuracy stage=before"));
        // Eq. 7: the fraction is the count over every latent steered (all 32 of this SAE)
        var steerable = Assert.Single(lines, l => l.StartsWith("RESULT name=steerable-fraction count=", StringComparison.Ordinal));
        var tags = steerable.Split(' ').Skip(2).Select(t => t.Split('=')).ToDictionary(t => t[0], t => t[1]);
        Assert.Equal("32", tags["latents"]);
        Assert.Equal(int.Parse(tags["count"], CultureInfo.InvariantCulture) / 32.0, double.Parse(tags["value"], CultureInfo.InvariantCulture), 4);
        Assert.Contains(lines, l => l.Contains("embedding 200 training scenes"));
        Assert.Equal(2, Directory.GetDirectories(data).Length);   // the cached SAE and the plots
        foreach (var plot in new[] { "faithfulness", "failure-modes", "probing", "masking" })
            Actors.Vision.Imaging.ImageCodec.Decode(Path.Combine(data, "plots", plot + ".png"));

        var again = Run();   // also: the steering claims are deterministic
        Assert.DoesNotContain(again, l => l.Contains("training scenes"));
        Assert.Equal(lines.Where(l => l.StartsWith("RESULT")), again.Where(l => l.StartsWith("RESULT")));
    }

    [Fact]
    public void SuppressingNoLatentLeavesEveryProbabilityAsItWasWhileSuppressingAllMovesThem()
    {
        var model = new ModelCatalog(new CpuBackend()).Load(ModelFolder());
        var sae = WorldSae.TrainOrLoad(model, data, 1, new WorldSaeSettings(Scenes: 200, Epochs: 3, DSae: 32, K: 4), _ => { }).Sae;
        string[] classes = ["duck", "bird"];
        var concepts = new ConceptSet(classes, [.. new ConceptEncoder().Embed(model, classes).SelectMany(e => e)], model.Model.Config.ProjectionDim);
        var duckOrBird = SteeringModel.Open(model, sae, SaeHookSpec.ImageEmbeds, concepts);
        var scenes = WorldSplits.Generate(WorldSplit.SpuriousTest, 16, 1);
        var none = new SuppressedFeatures([], [], 0, 0);

        var accuracy = WorldSteeringClaims.EvaluateSpurious(duckOrBird, model, none, scenes);
        Assert.Equal(accuracy.Accuracy.Before, accuracy.Accuracy.After);
        Assert.Equal(accuracy.WorstGroupAccuracy.Before, accuracy.WorstGroupAccuracy.After);
        Assert.Equal(4, accuracy.Groups.Length);   // duck/bird × water/land, 4 scenes each
        Assert.All(accuracy.Groups, g => Assert.Equal((4, g.Before), (g.Images, g.After)));

        var pixels = WorldScenes.Pixels(model.Preprocessor, [.. scenes.Select(s => s.Factors)]);
        var before = duckOrBird.Before(pixels, scenes.Count);
        Assert.Equal(before, duckOrBird.After(pixels, scenes.Count, none.Splice(sae)));   // bit for bit: the error term is kept
        var all = new SuppressedFeatures([], [.. Enumerable.Range(0, sae.DSae)], 0, 0);
        Assert.NotEqual(before, duckOrBird.After(pixels, scenes.Count, all.Splice(sae)));
    }

    [Fact]
    public void TypographicPairsDifferOnlyByAnotherShapesNameAndAreEvaluatedOnScenesNotUsedToChooseTheLatents()
    {
        var (selection, evaluated) = WorldSteeringClaims.TypographicScenes(1, 12);
        Assert.Equal(12, selection.Length);
        Assert.Equal(12, evaluated.Length);
        Assert.Empty(evaluated.Select(i => i.Factors).Intersect(selection.Select(i => i.Factors)));
        var preprocessor = new ModelCatalog(new CpuBackend()).Load(ModelFolder()).Preprocessor;
        foreach (var scene in evaluated)
        {
            var (words, clean) = WorldSteeringClaims.Pair(scene);
            Assert.Null(clean.Word);
            Assert.Equal(scene.WrittenClass, words.Word);
            Assert.NotEqual(scene.Label, words.Word);
            Assert.Equal(clean, words with { Word = null });
            Assert.NotEqual(WorldScenes.Pixels(preprocessor, [clean]), WorldScenes.Pixels(preprocessor, [words]));   // the word is drawn
        }
    }
}
