using System.Numerics.Tensors;
using Actors.Vision.Tokenization;

namespace Actors.Vision.Clip;

/// <summary>
/// CLIP zero-shot classification (Radford et al. 2021, Sec. 3.1.2 and 3.1.4): every class name is put into each
/// prompt template, the prompt embeddings are L2-normalised, averaged per class and renormalised (prompt
/// ensembling); an image's class probabilities are softmax(exp(logit_scale) · cos(image, class)).
/// </summary>
public sealed class ZeroShotClassifier
{
    public static readonly IReadOnlyList<string> DefaultTemplates = ["a photo of a {}."];

    readonly ClipModel model;

    /// <summary>Classes from prompt embeddings (classes × templates rows, class-major) already computed.</summary>
    public ZeroShotClassifier(ClipModel model, IReadOnlyList<string> labels, int templates, ReadOnlySpan<float> promptEmbeddings)
    {
        this.model = model;
        Labels = labels;
        int d = model.Config.ProjectionDim;
        if (labels.Count == 0) throw new ArgumentException("zero-shot classification needs at least one label");
        if (templates <= 0 || promptEmbeddings.Length != labels.Count * templates * d)
            throw new ArgumentException($"{promptEmbeddings.Length} prompt embedding values do not hold {labels.Count} labels × {templates} templates × {d}");
        ClassEmbeddings = EnsembleClassEmbeddings(promptEmbeddings, labels.Count, templates, d);
    }

    /// <summary>Tokenizes labels × templates ("{}" is replaced by the label) and encodes them with the text tower.</summary>
    public static ZeroShotClassifier Create(ClipModel model, ClipTokenizer tokenizer, IReadOnlyList<string> labels,
        IReadOnlyList<string>? templates = null, int batch = 64)
    {
        templates ??= DefaultTemplates;
        if (templates.Count == 0 || templates.Any(t => !t.Contains("{}")))
            throw new ArgumentException("every template must contain '{}' where the label goes");
        var prompts = labels.SelectMany(l => templates.Select(t => t.Replace("{}", l))).ToList();
        int d = model.Config.ProjectionDim, context = model.Text.ContextLength;
        var embeddings = new float[prompts.Count * d];
        for (int start = 0; start < prompts.Count; start += batch)
        {
            var chunk = prompts.Skip(start).Take(batch).ToList();
            var (ids, _) = tokenizer.EncodeBatch(chunk, context);
            model.Text.Encode(ids, chunk.Count).CopyTo(embeddings, start * d);
        }
        return new ZeroShotClassifier(model, labels, templates.Count, embeddings);
    }

    public IReadOnlyList<string> Labels { get; }
    /// <summary>(classes, proj), unit rows.</summary>
    public float[] ClassEmbeddings { get; }

    /// <summary>Class probabilities (N, classes) for image embeddings (N, proj) (not necessarily normalised).</summary>
    public float[] Probabilities(ReadOnlySpan<float> imageEmbeddings)
    {
        var logits = model.Logits(imageEmbeddings, ClassEmbeddings);
        int c = Labels.Count;
        for (int i = 0; i < logits.Length; i += c) TensorPrimitives.SoftMax(logits.AsSpan(i, c), logits.AsSpan(i, c));
        return logits;
    }

    /// <summary>Class probabilities for preprocessed pixels (N, C, H, W).</summary>
    public float[] Classify(ReadOnlySpan<float> pixels, int count) => Probabilities(model.Vision.Encode(pixels, count));

    static float[] EnsembleClassEmbeddings(ReadOnlySpan<float> prompts, int classes, int templates, int d)
    {
        var normalized = Embeddings.Normalized(prompts, d);
        var result = new float[classes * d];
        for (int c = 0; c < classes; c++)
        {
            var mean = result.AsSpan(c * d, d);
            for (int t = 0; t < templates; t++)
                TensorPrimitives.Add(mean, normalized.AsSpan((c * templates + t) * d, d), mean);
            TensorPrimitives.Divide(mean, templates, mean);
        }
        return Embeddings.Normalized(result, d);
    }
}
