using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Actors.Vision.Tokenization;
using Actors.World;

namespace Actors.World.Training;

/// <summary>
/// Zero-shot evaluation of a CLIP on the world's held-out splits (Radford et al. 2021, Sec. 3.1.2: classify by the
/// most similar class prompt). Scenes are regenerated from the world generator with the world seed and rendered
/// in memory, then go through the model folder's own preprocessor, tokenizer and the real inference model.
/// </summary>
public sealed class WorldEvaluation(ClipModel model, ClipTokenizer tokenizer, ClipPreprocessor preprocessor)
{
    public static WorldEvaluation Load(string modelDirectory) => new(
        ClipModel.Load(modelDirectory),
        ClipTokenizer.FromDirectory(modelDirectory),
        ClipPreprocessor.FromPreprocessorConfig(Path.Combine(modelDirectory, "preprocessor_config.json")));

    /// <summary>
    /// The figures, named as world-eval prints them: the seven of the world issue, then world-background-reliance
    /// and world-typo-flip-baseline (the flip measure on the attack scenes with the word left out).
    /// <paramref name="detail"/>, when given, also receives the breakdowns behind them: shape accuracy per class
    /// ("shape/duck"), object accuracy per group of the spurious test split ("spurious/duck/land") and the mean
    /// duck-vs-bird margin per group ("margin/duck/land").
    /// </summary>
    public IReadOnlyList<(string Name, double Value)> Run(ulong worldSeed, int count, Action<string, double>? detail = null)
    {
        var test = WorldSplits.Generate(WorldSplit.Test, count, worldSeed);
        var plain = Images(test.Select(i => i.Factors.WithoutWord()).ToArray());
        var colours = Enum.GetValues<ObjectColour>(); var shapes = Enum.GetValues<Shape>(); var backgrounds = Enum.GetValues<Background>();
        double colour = ZeroShotMetrics.Accuracy(Classify(plain, colours.Select(CaptionWriter.ColourPrompt)), test.Select(i => Array.IndexOf(colours, i.Factors.Colour)).ToArray());
        var shapePred = Classify(plain, shapes.Select(CaptionWriter.ShapePrompt));
        var shapeTruth = test.Select(i => Array.IndexOf(shapes, i.Factors.Shape)).ToArray();
        double shape = ZeroShotMetrics.Accuracy(shapePred, shapeTruth);
        if (detail is not null)
            foreach (var (cls, acc) in ZeroShotMetrics.WorstGroupAccuracy(shapePred, shapeTruth, test.Select(i => WorldNames.Name(i.Factors.Shape)).ToArray()).PerGroup.OrderBy(kv => kv.Key))
                detail($"shape/{cls}", acc);
        double background = ZeroShotMetrics.Accuracy(Classify(plain, backgrounds.Select(CaptionWriter.BackgroundPrompt)), test.Select(i => Array.IndexOf(backgrounds, i.Factors.Background)).ToArray());

        // written word: every held-out scene with a word from the world's word vocabulary drawn on it
        var words = WorldSplits.WordVocabulary;
        var worded = test.Select((item, k) => item.Factors with { Word = words[k % words.Count] }).ToArray();
        double word = ZeroShotMetrics.Accuracy(Classify(Images(worded), words.Select(CaptionWriter.WordPrompt)), worded.Select(f => IndexOf(words, f.Word!)).ToArray());

        // spurious world, balanced test split: duck vs bird
        var spurious = WorldSplits.Generate(WorldSplit.SpuriousTest, count, worldSeed);
        Shape[] objectClasses = [WorldSplits.WaterClass, WorldSplits.LandClass];
        var objectScores = Scores(Images(spurious.Select(i => i.Factors).ToArray()), objectClasses.Select(CaptionWriter.ShapePrompt));
        var objectPred = ZeroShotMetrics.ArgMax(objectScores, spurious.Count, objectClasses.Length);
        var objectTruth = spurious.Select(i => Array.IndexOf(objectClasses, i.Factors.Shape)).ToArray();
        var objectGroups = spurious.Select(i => i.Group!).ToArray();
        double average = ZeroShotMetrics.Accuracy(objectPred, objectTruth);
        var (worst, groups) = ZeroShotMetrics.WorstGroupAccuracy(objectPred, objectTruth, objectGroups);
        if (detail is not null) foreach (var (group, acc) in groups.OrderBy(kv => kv.Key)) detail($"spurious/{group}", acc);
        // Background reliance: how much larger the duck-vs-bird margin is on a class's correlated background than on
        // the other one, averaged over the two classes (cosine units; 0: background does not matter).
        var margins = ZeroShotMetrics.MeanMarginByGroup(objectScores, spurious.Count, objectClasses.Length, objectTruth, objectGroups);
        if (detail is not null) foreach (var (group, m) in margins.OrderBy(kv => kv.Key)) detail($"margin/{group}", m);
        double reliance = objectClasses.Average(c => margins[WorldSplits.GroupName(c, WorldSplits.CorrelatedBackground(c))]
            - margins[WorldSplits.GroupName(c, WorldSplits.MinorityBackground(c))]);

        // typographic attacks: a shape with another shape's name written on it
        var typo = WorldSplits.Generate(WorldSplit.Typographic, count, worldSeed);
        var typoPred = Classify(Images(typo.Select(i => i.Factors).ToArray()), shapes.Select(CaptionWriter.ShapePrompt));
        var typoTruth = typo.Select(i => Array.IndexOf(shapes, i.Factors.Shape)).ToArray();
        var typoWritten = typo.Select(i => Array.IndexOf(shapes, WorldNames.Parse<Shape>(i.WrittenClass!))).ToArray();
        double flip = ZeroShotMetrics.FlipFraction(typoPred, typoTruth, typoWritten);
        // The same scenes without the word: how often the model names the would-be written class anyway (its ordinary
        // shape errors landing there). The attack's effect is the flip rate above this baseline.
        var unwrittenPred = Classify(Images(typo.Select(i => i.Factors.WithoutWord()).ToArray()), shapes.Select(CaptionWriter.ShapePrompt));
        double flipBaseline = ZeroShotMetrics.FlipFraction(unwrittenPred, typoTruth, typoWritten);

        return [("world-color", colour), ("world-shape", shape), ("world-background", background), ("world-word", word),
                ("world-average", average), ("world-worst-group", worst), ("world-typo-flip", flip), ("world-background-reliance", reliance),
                ("world-typo-flip-baseline", flipBaseline)];
    }

    static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++) if (list[i] == value) return i;
        throw new ArgumentException($"'{value}' is not in the list");
    }

    /// <summary>Rendered, preprocessed and encoded images, L2-normalised rows (n, proj).</summary>
    float[] Images(IReadOnlyList<SceneFactors> scenes)
    {
        int per = preprocessor.FloatsPerImage, d = model.Config.ProjectionDim, size = model.Config.Vision.ImageSize;
        var embeds = new float[scenes.Count * d];
        const int chunk = 64;
        for (int start = 0; start < scenes.Count; start += chunk)
        {
            int n = Math.Min(chunk, scenes.Count - start);
            var pixels = new float[n * per];
            Parallel.For(0, n, i => preprocessor.Preprocess(SceneRenderer.Render(scenes[start + i], size), pixels.AsSpan(i * per, per)));
            model.Vision.Encode(pixels, n, embeds.AsSpan(start * d, n * d));
        }
        return Embeddings.Normalized(embeds, d);
    }

    /// <summary>Predicted class per image: argmax of cosine similarity to each class prompt.</summary>
    int[] Classify(float[] imageEmbeds, IEnumerable<string> prompts)
    {
        var texts = prompts.ToArray();
        return ZeroShotMetrics.ArgMax(Scores(imageEmbeds, texts), imageEmbeds.Length / model.Config.ProjectionDim, texts.Length);
    }

    /// <summary>Cosine similarity of each image to each class prompt, (n, classes).</summary>
    float[] Scores(float[] imageEmbeds, IEnumerable<string> prompts)
    {
        var texts = prompts.ToArray();
        int d = model.Config.ProjectionDim, n = imageEmbeds.Length / d;
        var (ids, _) = tokenizer.EncodeBatch(texts, model.Text.ContextLength, truncate: true, padWithEndOfText: true);
        var classes = Embeddings.Normalized(model.Text.Encode(ids, texts.Length), d);
        var scores = new float[n * texts.Length];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < texts.Length; c++)
                scores[i * texts.Length + c] = System.Numerics.Tensors.TensorPrimitives.Dot(imageEmbeds.AsSpan(i * d, d), classes.AsSpan(c * d, d));
        return scores;
    }
}
