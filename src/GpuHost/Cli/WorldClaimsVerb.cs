using System.CommandLine;
using System.Diagnostics;
using Actors.GpuHost.Jobs.Evaluations.World;
using Actors.GpuHost.Plots;

namespace Actors.GpuHost.Cli;

/// <summary>
/// `world-claims [--model DIR --data DIR ...]`: trains (or loads from --data) an SAE on the shipped world CLIP's image
/// embedding and runs the evaluation and steering jobs' computations over the world's splits in process, printing one
/// RESULT line per figure and "note:" lines with what they rest on.
/// </summary>
public sealed class WorldClaimsVerb : ICliVerb
{
    public Command Build()
    {
        var model = new Option<string>("--model") { Description = "world CLIP folder", DefaultValueFactory = _ => "models/world-clip" };
        var data = new Option<string>("--data") { Description = "cache folder of trained SAEs", DefaultValueFactory = _ => "data/world-claims" };
        var sae = new Option<string?>("--sae") { Description = "use this SAELens folder (image_embeds hook) instead of training one" };
        var worldSeed = new Option<ulong>("--world-seed") { Description = "world seed (the one the CLIP was trained with)", DefaultValueFactory = _ => 1UL };
        var test = new Option<int>("--test-images") { Description = "test scenes (faithfulness, masking evaluation, latent references)", DefaultValueFactory = _ => 360 };
        var reference = new Option<int>("--reference-images") { Description = "train-split ducks whose relevance is expected (Eq. 8)", DefaultValueFactory = _ => 200 };
        var spurious = new Option<int>("--spurious-images") { Description = "spurious-test scenes searched for failure modes", DefaultValueFactory = _ => 2000 };
        var selection = new Option<int>("--selection-images") { Description = "train scenes for class-level activations (masking)", DefaultValueFactory = _ => 600 };
        var saeScenes = new Option<int>("--sae-scenes") { Description = "scenes the SAE trains on", DefaultValueFactory = _ => 6000 };
        var epochs = new Option<int>("--sae-epochs") { Description = "passes over them", DefaultValueFactory = _ => 40 };
        var dSae = new Option<int>("--d-sae") { Description = "latents", DefaultValueFactory = _ => 256 };
        var k = new Option<int>("--k") { Description = "active latents per image (top-k)", DefaultValueFactory = _ => 8 };
        var plots = new Option<string?>("--plots") { Description = "also write the jobs' PNG plots of the results into this folder" };
        var seed = new Option<ulong>("--seed") { Description = "seed of the random baselines and of the steered latents' sample", DefaultValueFactory = _ => 0UL };
        var attribute = new Option<int>("--attribute-images") { Description = "spurious-train scenes on water, and as many on land, choosing the suppressed latents (seed 001 Eq. 9)", DefaultValueFactory = _ => 500 };
        var typographic = new Option<int>("--typographic-images") { Description = "typographic scenes choosing the word latents (with vs without the word), and as many others evaluated", DefaultValueFactory = _ => 300 };
        var tau = new Option<double>("--tau") { Description = "τ of seed 001 Eq. 9 (both suppressions)", DefaultValueFactory = _ => 1.0 };
        var lambda = new Option<double?>("--lambda") { Description = "also suppress latents whose decoder cosine with a chosen one exceeds λ (seed 001 Sec. 7.2); none by default" };
        var steerImages = new Option<int>("--steer-images") { Description = "test scenes each latent is steered on (layer steerability)", DefaultValueFactory = _ => 8 };
        var strength = new Option<double>("--steer-strength") { Description = "the strength every latent is set to (seed 001 footnote 2: 150)", DefaultValueFactory = _ => 150.0 };
        var sample = new Option<int?>("--steer-sample") { Description = "steer a seeded sample of this many latents instead of every one" };
        var cmd = new Command("world-claims", "Seed 000 / 001 / 002 evaluations (faithfulness, failure detection, hidden word latents, top-k masking, suppression of spurious and typographic latents, steerability) on the synthetic world; RESULT lines.");
        var randomReferences = new Option<int>("--random-references")
        {
            Description = "test scenes, any shape, drawn as the random references of deletion (random) (seed 000 App. B.2)", DefaultValueFactory = _ => 120,
        };
        foreach (var o in new Option[] { model, data, sae, worldSeed, test, reference, spurious, selection, saeScenes, epochs, dSae, k, seed, randomReferences, plots,
                     attribute, typographic, tau, lambda, steerImages, strength, sample }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var options = new WorldClaimsOptions(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(worldSeed), parse.GetValue(test),
                parse.GetValue(reference), parse.GetValue(spurious), parse.GetValue(selection), parse.GetValue(seed),
                new WorldSaeSettings(Scenes: parse.GetValue(saeScenes), Epochs: parse.GetValue(epochs), DSae: parse.GetValue(dSae), K: parse.GetValue(k)),
                parse.GetValue(sae), parse.GetValue(attribute), parse.GetValue(typographic), parse.GetValue(tau), parse.GetValue(lambda),
                parse.GetValue(steerImages), parse.GetValue(strength), parse.GetValue(sample), parse.GetValue(randomReferences));
            var result = WorldClaims.Run(options, note => Console.WriteLine($"note: [{clock.Elapsed.TotalSeconds:F0} s] {note}"));
            foreach (var line in result.Lines) Console.WriteLine(line);
            if (parse.GetValue(plots) is { } folder)
            {
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, "faithfulness.png"), EvaluationPlots.Faithfulness(result.Faithfulness));
                File.WriteAllBytes(Path.Combine(folder, "failure-modes.png"), EvaluationPlots.FailureModes(result.FailureModes));
                File.WriteAllBytes(Path.Combine(folder, "probing.png"), EvaluationPlots.Probing(result.Probing));
                File.WriteAllBytes(Path.Combine(folder, "masking.png"), EvaluationPlots.Masking(result.Masking));
                Console.WriteLine($"note: plots in {Path.GetFullPath(folder)}");
            }
            Console.WriteLine($"note: world-claims took {clock.Elapsed.TotalSeconds:F0} s");
            return 0;
        });
        return cmd;
    }
}
