using Actors.Analysis.Alignment;
using Actors.Analysis.Steering;
using Actors.GpuHost.Ingestion;
using Actors.GpuHost.Jobs.Steering;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.World;

namespace Actors.GpuHost.Jobs.Evaluations.World;

/// <summary>What the steering claims measured, beside their printed lines.</summary>
public sealed record WorldSteeringReport(SuppressedFeatures Water, SuppressionAccuracy Spurious, SuppressedFeatures Words,
    TypographicFigures Typographic, LatentSteerabilityScores Steering, LayerSteerability Steerability);

/// <summary>
/// Seed 001's steering claims (Sec. 6-7) on the synthetic world, computed by the steering jobs' own cores
/// (<see cref="SteeringModel"/>, <see cref="SuppressedFeatures"/>, <see cref="SuppressionEvaluation"/>,
/// <see cref="TypographicEvaluation"/>, <see cref="SteerabilityScan"/>) on rendered scenes instead of registered
/// corpora. Every intervention is at the SAE's own hook (the image embedding for the world claims' SAE; the paper's
/// Sec. 7.2 uses the last residual layer), error term kept.
/// </summary>
public static class WorldSteeringClaims
{
    const int Batch = 64;

    public static WorldSteeringReport Run(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook, ClassPrompts shapes,
        WorldClaimsOptions options, WorldLatentFactors factors, List<ClaimLine> lines, Action<string> log)
    {
        string Latents(IEnumerable<int> latents) => string.Join(", ", latents.Select(j => $"{j} [{factors.Dominant(j)}]"));
        string Lambda() => options.Lambda is { } l ? $", expanded by decoder cosine > {l} (Sec. 7.2)" : "";

        log($"spurious-feature suppression (seed 001 Sec. 7.1): Eq. 9 with τ = {options.Tau} on {options.AttributeImages} spurious-train scenes on water vs as many on land");
        var (water, spurious) = SpuriousSuppression(model, sae, hook, shapes, options);
        log($"suppressed {water.Suppressed.Length} latents ({water.Selected.Length} by Eq. 9{Lambda()}): {Latents(water.Suppressed)}");
        log("duck vs bird on the balanced spurious-test split, per group (before → after): " +
            string.Join(", ", spurious.Groups.Select(g => $"{g.Group} {g.Before:F4} → {g.After:F4} ({g.Images})")));
        lines.Add(new("suppressed-latents", [("attribute", "water")], water.Suppressed.Length));
        lines.Add(new("spurious-accuracy", [("stage", "before")], spurious.Accuracy.Before));
        lines.Add(new("spurious-accuracy", [("stage", "after")], spurious.Accuracy.After));
        lines.Add(new("worst-group-accuracy", [("stage", "before")], spurious.WorstGroupAccuracy.Before));
        lines.Add(new("worst-group-accuracy", [("stage", "after")], spurious.WorstGroupAccuracy.After));

        log($"typographic defence (seed 001 Sec. 7.2): Eq. 9 with τ = {options.Tau} on {options.TypographicImages} typographic scenes vs the same scenes without the word, " +
            $"evaluated on the next {options.TypographicImages}");
        var (words, typographic) = TypographicDefence(model, sae, hook, shapes, options);
        log($"suppressed {words.Suppressed.Length} latents ({words.Selected.Length} by Eq. 9{Lambda()}): {Latents(words.Suppressed)}");
        log($"accuracy on the scenes with words {typographic.WordsAccuracy.Before:F4} → {typographic.WordsAccuracy.After:F4}; " +
            (typographic.WrittenClassRate is { } w ? $"predicted as the written shape {w.Before:F4} → {w.After:F4}" : "no written class known"));
        lines.Add(new("suppressed-latents", [("attribute", "word")], words.Suppressed.Length));
        lines.Add(new("typo-flip", [("stage", "before")], typographic.FlipRate.Before));
        lines.Add(new("typo-flip", [("stage", "after")], typographic.FlipRate.After));
        lines.Add(new("clean-shape-accuracy", [("stage", "before")], typographic.CleanAccuracy.Before));
        lines.Add(new("clean-shape-accuracy", [("stage", "after")], typographic.CleanAccuracy.After));
        lines.Add(new("typo-accuracy", [("stage", "before")], typographic.WordsAccuracy.Before));
        lines.Add(new("typo-accuracy", [("stage", "after")], typographic.WordsAccuracy.After));

        var (steering, layer, vocabulary) = Steerability(model, sae, hook, options, log);
        var top = Enumerable.Range(0, steering.Latents.Length).OrderByDescending(f => steering.Steerability[f]).Take(5);
        log($"S (Eq. 6) {layer.MeanSteerability:F4} (S_f from {steering.Steerability.Min():F4} to {steering.Steerability.Max():F4}); #S (Eq. 7, γ {SteerabilityParameters.DefaultGamma}) {layer.SteerableCount} of {layer.Features}; " +
            $"#C (Eq. 8, β {SteerabilityParameters.DefaultBeta}) {layer.ConceptCoverage} latents promoting {layer.ConceptsCovered} distinct concepts; most steerable: " +
            string.Join(", ", top.Select(f => $"{steering.Latents[f]} (S_f {steering.Steerability[f]:F3} → {vocabulary.Labels[steering.PromotedConcept[f]]}; {factors.Dominant(steering.Latents[f])})")));
        lines.Add(new("steerable-fraction", [("count", $"{layer.SteerableCount}"), ("latents", $"{layer.Features}")], layer.SteerableFraction));
        return new WorldSteeringReport(water, spurious, words, typographic, steering, layer);
    }

    /// <summary>Sec. 7.1: the water latents by Eq. 9, zero-ablated while CLIP tells duck from bird on spurious-test.</summary>
    static (SuppressedFeatures Found, SuppressionAccuracy Accuracy) SpuriousSuppression(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook,
        ClassPrompts shapes, WorldClaimsOptions options)
    {
        // Eq. 9's D_A and D_Ā are spurious-train scenes on water and on land: the paper splits the training set by the
        // attribute, and spurious-train is the world's Waterbirds training set, drawn by generators apart from
        // spurious-test's, so F is never chosen on the scenes it is evaluated on. As in Waterbirds, water there also
        // means duck 95 % of the time, so F may hold duck latents beside water latents (the notes name each latent's factor).
        var onWater = Scenes(WorldSplit.SpuriousTrain, options.AttributeImages, options.WorldSeed, i => i.Factors.Background == Background.Water);
        var onLand = Scenes(WorldSplit.SpuriousTrain, options.AttributeImages, options.WorldSeed, i => i.Factors.Background == Background.Land);
        var duckOrBird = SteeringModel.Open(model, sae, hook, Concepts(shapes, [WorldNames.Name(WorldSplits.WaterClass), WorldNames.Name(WorldSplits.LandClass)]));
        var found = Find(duckOrBird, model, onWater, onLand, options);
        return (found, EvaluateSpurious(duckOrBird, model, found, WorldSplits.Generate(WorldSplit.SpuriousTest, options.SpuriousImages, options.WorldSeed)));
    }

    /// <summary>Zero-shot duck vs bird of spurious-test scenes (groups class × background) without and with the suppression.</summary>
    public static SuppressionAccuracy EvaluateSpurious(SteeringModel duckOrBird, LoadedModel model, SuppressedFeatures found, IReadOnlyList<WorldItem> scenes)
    {
        var evaluation = new SuppressionEvaluation(duckOrBird, found.Splice(duckOrBird.Sae));
        var classes = duckOrBird.ClassIndex();
        foreach (var chunk in scenes.Chunk(Batch))
            evaluation.Add(WorldScenes.Pixels(model.Preprocessor, [.. chunk.Select(i => i.Factors)]), chunk.Length,
                [.. chunk.Select(i => classes[i.Label])], [.. chunk.Select(i => i.Group!)]);
        return evaluation.Result();
    }

    /// <summary>Sec. 7.2: the word latents by Eq. 9, zero-ablated while CLIP names the shape of scenes with and without their word.</summary>
    static (SuppressedFeatures Found, TypographicFigures Figures) TypographicDefence(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook,
        ClassPrompts shapes, WorldClaimsOptions options)
    {
        var (selection, evaluated) = TypographicScenes(options.WorldSeed, options.TypographicImages);
        var shapeModel = SteeringModel.Open(model, sae, hook, Concepts(shapes, shapes.Labels));
        var found = Find(shapeModel, model, [.. selection.Select(i => Pair(i).Words)], [.. selection.Select(i => Pair(i).Clean)], options);
        var evaluation = new TypographicEvaluation(shapeModel, found.Splice(sae));
        var classes = shapeModel.ClassIndex();
        foreach (var chunk in evaluated.Chunk(Batch))
            evaluation.Add(WorldScenes.Pixels(model.Preprocessor, [.. chunk.Select(i => Pair(i).Clean)]),
                WorldScenes.Pixels(model.Preprocessor, [.. chunk.Select(i => Pair(i).Words)]), chunk.Length,
                [.. chunk.Select(i => classes[i.Label])], [.. chunk.Select(i => classes[i.WrittenClass!])]);
        return (found, evaluation.Result());
    }

    /// <summary>
    /// The first <paramref name="count"/> typographic scenes choose the word latents (Eq. 9: D_T, with D_T̄ the same
    /// scenes without the word, as Sec. 7.2 builds D_T by writing on D_T̄'s images); the next <paramref name="count"/>
    /// — other scenes, never used to choose them — are evaluated.
    /// </summary>
    public static (WorldItem[] Selection, WorldItem[] Evaluated) TypographicScenes(ulong worldSeed, int count)
    {
        var all = WorldSplits.Generate(WorldSplit.Typographic, 2 * count, worldSeed);
        return ([.. all.Take(count)], [.. all.Skip(count)]);
    }

    /// <summary>A typographic scene with its word (another shape's name) and the same scene without it.</summary>
    public static (SceneFactors Words, SceneFactors Clean) Pair(WorldItem scene) => (scene.Factors, scene.Factors.WithoutWord());

    /// <summary>Sec. 6.1.2: every latent (or a seeded sample) set to one strength on the first test scenes; S, #S, #C (Eq. 6-8).</summary>
    static (LatentSteerabilityScores, LayerSteerability, ConceptSet) Steerability(LoadedModel model, SparseAutoencoder sae, SaeHookSpec hook,
        WorldClaimsOptions options, Action<string> log)
    {
        var vocabulary = FactorVocabulary(model);
        var steering = SteeringModel.Open(model, sae, hook, vocabulary);
        var scenes = WorldSplits.Generate(WorldSplit.Test, options.SteerImages, options.WorldSeed);
        var batches = scenes.Chunk(Batch).Select(c => (WorldScenes.Pixels(model.Preprocessor, [.. c.Select(i => i.Factors)]), c.Length)).ToArray();
        var latents = SteerabilityScan.Sample(sae.DSae, options.SteerSample, options.Seed);
        // The paper steers to the asymptote (Sec. 6.2.1, footnote 2: s = 150, where larger values changed nothing); at
        // the image-embedding hook h' = h + (s − a_j) n_j, so s far above ‖h‖ means the direction n_j decides alone.
        double norm = batches.Average(b => MeanNorm(steering.Forward.Unsteered(b.Item1, b.Item2), model.Model.Config.ProjectionDim));
        // How peaked CLIP's own P is: S_f (Eq. 5) compares the steered distribution with it, so the broader P is, the
        // larger S_f even of a latent that promotes the image's own top concept.
        double top = batches.Average(b => MeanTopProbability(steering.Before(b.Item1, b.Item2), vocabulary.Count));
        log($"steerability (seed 001 Sec. 6.1.2): {(latents.Length == sae.DSae ? "every one" : $"a sample (seed {options.Seed})")} of {latents.Length} latents " +
            $"set to {options.SteerStrength} on {scenes.Count} test scenes (mean ‖h‖ there {norm:F2}); vocabulary of {vocabulary.Count} world factor prompts, " +
            $"on which CLIP's own top concept has mean probability {top:F3}");
        var scores = SteerabilityScan.Run(steering, latents, batches, options.SteerStrength);
        return (scores, scores.Layer(SteerabilityParameters.DefaultGamma, SteerabilityParameters.DefaultBeta), vocabulary);
    }

    /// <summary>
    /// The output distribution's vocabulary: the world's factors as world-eval's zero-shot prompts name them
    /// (<see cref="CaptionWriter"/>) — 12 shapes, 10 colours, 6 backgrounds, and the 22 words that may be written on a
    /// scene. The world CLIP was trained on captions naming exactly these, so a steerable latent should move its
    /// output toward some of them; seed 001's 5,000-word vocabulary (footnote 3) would mostly hold words this CLIP's
    /// text tower never saw.
    /// </summary>
    public static ConceptSet FactorVocabulary(LoadedModel model)
    {
        var concepts = Enum.GetValues<Shape>().Select(s => ($"shape {WorldNames.Name(s)}", CaptionWriter.ShapePrompt(s)))
            .Concat(Enum.GetValues<ObjectColour>().Select(c => ($"colour {WorldNames.Name(c)}", CaptionWriter.ColourPrompt(c))))
            .Concat(Enum.GetValues<Background>().Select(b => ($"background {WorldNames.Name(b)}", CaptionWriter.BackgroundPrompt(b))))
            .Concat(WorldSplits.WordVocabulary.Select(w => ($"word {w}", CaptionWriter.WordPrompt(w)))).ToArray();
        var embeddings = new ConceptEncoder().Embed(model, [.. concepts.Select(c => c.Item2)], ["{}"]);
        return new ConceptSet([.. concepts.Select(c => c.Item1)], [.. embeddings.SelectMany(e => e)], model.Model.Config.ProjectionDim);
    }

    /// <summary>Eq. 9 from the mean image-level activations on the two scene sets, then Sec. 7.2's expansion when λ is given.</summary>
    static SuppressedFeatures Find(SteeringModel steering, LoadedModel model, IReadOnlyList<SceneFactors> with, IReadOnlyList<SceneFactors> without,
        WorldClaimsOptions options)
    {
        MeanImageActivations Means(IReadOnlyList<SceneFactors> scenes)
        {
            var means = new MeanImageActivations(steering.Forward);
            foreach (var chunk in scenes.Chunk(Batch)) means.Add(WorldScenes.Pixels(model.Preprocessor, chunk), chunk.Length);
            return means;
        }
        var (a, b) = (Means(with), Means(without));
        return SuppressedFeatures.Of(steering.Sae, a.Means(), a.Images, b.Means(), b.Images, options.Tau, options.Lambda);
    }

    /// <summary>The split's classes' prompts as a steering vocabulary (the same embeddings the other world claims classify with).</summary>
    static ConceptSet Concepts(ClassPrompts prompts, IReadOnlyList<string> labels) =>
        new(labels, [.. labels.SelectMany(prompts.Of)], prompts.Dim);

    static SceneFactors[] Scenes(WorldSplit split, int count, ulong seed, Func<WorldItem, bool> keep)
    {
        var scenes = new WorldScenes();
        return [.. scenes.Take(split, count, seed, keep).Select(image => scenes[image.ImageId].Factors)];
    }

    static double MeanTopProbability(float[] p, int concepts) =>
        Enumerable.Range(0, p.Length / concepts).Average(i => (double)System.Numerics.Tensors.TensorPrimitives.Max(p.AsSpan(i * concepts, concepts)));

    static double MeanNorm(float[] rows, int dim) =>
        Enumerable.Range(0, rows.Length / dim).Average(i => System.Numerics.Tensors.TensorPrimitives.Norm(rows.AsSpan(i * dim, dim)));
}
