using System.Globalization;
using Actors.GpuHost.Ingestion;
using Actors.Grains.Evaluations;
using Actors.Sae;
using Actors.Sae.Evaluation;
using Actors.Sae.Formats;
using Actors.Sae.Training;
using Actors.Tensors.Backends;
using Actors.World;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>
/// How much of the world the claims read (scenes per set), where the SAE comes from, and seed 001's settings: τ of
/// Eq. 9 and the optional cosine λ of Sec. 7.2 for both suppressions, and the steering strength, images and latent
/// sample of the layer steerability (Sec. 6.1.2).
/// </summary>
/// <remarks>
/// <see cref="RandomReferences"/>: the random reference images of seed 000 App. B.2 "Deletion (random)", a seeded draw
/// from the test scenes (the corpus the claims evaluate; capped by <see cref="TestImages"/>). The default, 120 of 360,
/// is a random third, about 10 per shape, so the orders rest on other shapes' scenes as the paper's 500 ImageNet images
/// do, where 500 would just be every test scene.
/// </remarks>
public sealed record WorldClaimsOptions(string ModelFolder, string DataFolder, ulong WorldSeed = 1, int TestImages = 360,
    int ReferenceImages = 200, int SpuriousImages = 2000, int SelectionImages = 600, ulong Seed = 0, WorldSaeSettings? Sae = null,
    string? SaeFolder = null, int AttributeImages = 500, int TypographicImages = 300, double Tau = 1.0, double? Lambda = null,
    int SteerImages = 8, double SteerStrength = 150, int? SteerSample = null, int RandomReferences = 120);

/// <summary>The printed figures and the reports they were read from (which the command can also plot).</summary>
public sealed record WorldClaimsResult(IReadOnlyList<ClaimLine> Lines, FaithfulnessReport Faithfulness, ClassFailureModes FailureModes,
    ProbingReport Probing, MaskingReport Masking, WorldSteeringReport Steering);

/// <summary>One printed figure: "RESULT name=… key=value … value=…".</summary>
public sealed record ClaimLine(string Name, IReadOnlyList<(string Key, string Value)> Tags, double Value)
{
    public override string ToString() => $"RESULT name={Name}{string.Concat(Tags.Select(t => $" {t.Key}={t.Value}"))} value=" +
        Value.ToString(Math.Abs(Value) >= 1000 || Value == Math.Floor(Value) ? "0" : "0.0000", CultureInfo.InvariantCulture);
}

/// <summary>
/// The evaluations of seed 000 (Sec. 5.1, 4.2, App. C.2, D) and seed 002 (Sec. 4.1) on the synthetic world, run in
/// process by the same services as the jobs, with ground truth to check them against: world-clip with an SAE on its
/// image embedding; faithfulness on the test split's shapes; failure detection for the duck (reference: the train
/// split's ducks, on every background; searched: the balanced spurious-test split, where half the birds stand on water);
/// "high activation, low alignment" latents against the written words; top-k masking of the twelve shapes; and seed
/// 001's steering claims (<see cref="WorldSteeringClaims"/>: spurious-feature suppression, typographic defence, layer
/// steerability).
/// </summary>
public static class WorldClaims
{
    const string Duck = "duck";

    public static WorldClaimsResult Run(WorldClaimsOptions options, Action<string> log)
    {
        var model = new ModelCatalog(new CpuBackend()).Load(options.ModelFolder);
        var sae = options.SaeFolder is { } given ? SaeLensFolder.Read(given)
            : WorldSae.TrainOrLoad(model, options.DataFolder, options.WorldSeed, options.Sae ?? new WorldSaeSettings(), log).Sae;
        var hook = sae.Config.Hook ?? SaeHookSpec.ImageEmbeds;
        var evaluation = new EvaluationModel(model, sae, hook);
        var shapes = Enum.GetValues<Shape>().Select(WorldNames.Name).ToArray();
        var encoder = new ConceptEncoder();
        var prompts = new ClassPrompts(shapes, encoder.Embed(model, shapes));
        var empty = EvaluationInputs.EmptyConcept(encoder, model);
        var scenes = new WorldScenes();
        EncodedSamples Encode(string what, IReadOnlyList<EvaluationImage> images)
        {
            log($"encoding {images.Count} {what}");
            return EncodedSamples.Encode(evaluation, images);
        }
        var test = Encode("test scenes", scenes.Take(WorldSplit.Test, options.TestImages, options.WorldSeed));
        var heldOut = SaeEvaluator.Evaluate(sae, new ArrayActivationSource([.. test.Embeddings.SelectMany(e => e)], sae.DIn), test.Count);
        log($"SAE on the test scenes' embeddings: explained variance {heldOut.ExplainedVariance:F4}, L0 {heldOut.MeanL0:F2}, dead {heldOut.DeadFraction:P1}");
        var lines = new List<ClaimLine>();
        var factors = new WorldLatentFactors(LatentReferences.Of(test, sae.DSae), test, scenes);

        log("faithfulness (seed 000 Sec. 5.1)");
        var randomReferences = test.Subset(EvaluationInputs.Draw(Enumerable.Range(0, test.Count).ToList(), options.RandomReferences,
            EvaluationInputs.RandomReferenceSeed(options.Seed)));
        var faithfulness = FaithfulnessService.Run(evaluation, test, prompts, randomReferences, options.Seed);
        foreach (var m in faithfulness.Methods)
        {
            lines.Add(new("deletion-auc", [("method", m.Method)], m.LocalDeletion.Auc));
            lines.Add(new("insertion-auc", [("method", m.Method)], m.LocalInsertion.Auc));
            lines.Add(new("global-deletion-auc", [("method", m.Method)], m.GlobalDeletion.Auc));
            lines.Add(new("random-deletion-auc", [("method", m.Method)], m.RandomDeletion.Auc));
        }

        var reference = Encode("train-split ducks", scenes.Take(WorldSplit.Train, options.ReferenceImages, options.WorldSeed, i => i.Label == Duck));
        var searched = Encode("spurious-test scenes", scenes.Take(WorldSplit.SpuriousTest, options.SpuriousImages, options.WorldSeed));
        log("failure detection for the duck (seed 000 Eq. 7-8, App. D.1)");
        var run = FailureDetectionService.Run(evaluation, reference, searched, Duck, prompts.Of(Duck), empty,
            new FailureDetectionScope("world", "spurious-test", "train", null));
        var water = factors.Where(i => i.Factors.Background == Background.Water);
        log($"water latents (top-20 test images ≥ 90 % on water): {string.Join(", ", water)}; {run.HighConfidence.Length} high-confidence birds of {run.Candidates}; " +
            $"flagged (images with z > 3): {factors.List(run.Flagged)}; near misses: {factors.List(run.NearMisses)}; hidden concepts: " +
            string.Join(", ", run.HiddenConcepts.Select(h => $"{h.Latent} (R {h.MeanRelevance:F4}, s {h.Alignment:F4})")));
        lines.Add(new("spurious-flagged", [], run.Flagged.Any(f => water.Contains(f.Latent)) ? 1 : 0));
        lines.Add(new("hidden-concepts", [], run.HiddenConcepts.Length));
        var probing = ProbingService.Run(reference, searched, Duck, prompts.Of(Duck), TemplatedPrompts.Embed(encoder, model, Duck), run);
        foreach (var mode in probing.FailureModes)
        {
            lines.Add(new("spurious-auc", [("latent", $"{mode.Latent}"), ("prober", "text")], mode.TextPrompt.SpuriousAuc));
            lines.Add(new("spurious-auc", [("latent", $"{mode.Latent}"), ("prober", "templates")], mode.TemplatedPrompt.SpuriousAuc));
            lines.Add(new("spurious-auc", [("latent", $"{mode.Latent}"), ("prober", "linear")], mode.LinearProbe.SpuriousAuc));
        }

        lines.Add(new("word-latents-found", [], factors.WordLatentsFound(prompts, empty, log)));

        log("top-k masking (seed 002 Sec. 4.1)");
        var selection = Encode("train scenes for class-level activations", scenes.Take(WorldSplit.Train, options.SelectionImages, options.WorldSeed));
        var masking = MaskingService.Run(evaluation, selection, test, prompts, [1, 5, 10], options.Seed);
        log($"zero-shot shape accuracy on the test scenes: original {masking.OriginalAccuracy:F4}, SAE reconstruction {masking.ReconstructionAccuracy:F4}");
        foreach (var curve in masking.Curves.Where(c => c.Mode == "on" && c.Selection is "class" or "random"))
            foreach (var point in curve.Points)
                lines.Add(new("masking-accuracy", [("k", $"{point.K}"), ("selection", curve.Selection)], point.Accuracy));
        var steering = WorldSteeringClaims.Run(model, sae, hook, prompts, options, factors, lines, log);
        return new WorldClaimsResult(lines, faithfulness, run, probing, masking, steering);
    }
}
