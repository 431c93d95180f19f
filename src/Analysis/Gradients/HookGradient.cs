using Actors.Sae;
using Actors.Vision.Clip;

namespace Actors.Analysis.Gradients;

/// <summary>
/// The image-text score y(x, t) = cos(f(x), g(t)) (seed 000 Eq. 1) as a function of the activations h at an SAE hook,
/// and its gradient ∂y/∂h — what every gradient-based relevance (seed 000 Eq. 5, Integrated Gradients) needs.
/// <list type="bullet">
/// <item>Image-embedding hook: h is x itself; ∂y/∂x = (t̂ − y·x̂)/‖x‖ in closed form (seed 000 Eq. 27).</item>
/// <item>Residual hook after block L: the blocks after L, LN_post and the projection run forward from the captured
/// stream with the hooked rows replaced by h, and back (<see cref="VisionTail"/>); the gradient is read at the hooked
/// rows. The rest of the stream (e.g. patch tokens under a class-token hook) is held at its captured value.</item>
/// </list>
/// The gradient is taken at h, the activation the SAE reads — as seed 000's spliced SAE does, whose reconstruction
/// carries the error term so the forward is unchanged (maxdreyer/attributing-clip: x̂ + (x − x̂).detach()).
/// One image at a time; buffers are reused, so an instance is not thread-safe.
/// </summary>
public sealed class HookGradient
{
    readonly ClipVisionModel vision;
    readonly VisionTail? tail;
    readonly float[] embedding, dEmbedding, residual, dResidual;

    /// <param name="vision">The model whose forward captures h (the same numbers ingestion stores).</param>
    /// <param name="weights">The same model's vision weights, host-side, for the backward pass of residual hooks.</param>
    /// <param name="hook">Where the SAE reads.</param>
    public HookGradient(ClipVisionModel vision, ClipVisionWeights weights, SaeHookSpec hook)
    {
        this.vision = vision;
        Hook = hook;
        var c = vision.Config;
        if (weights.Layers.Count != vision.Layers || weights.PostLnGamma.Length != c.HiddenSize || weights.Projection.Length != vision.ProjectionDim * c.HiddenSize)
            throw new ArgumentException($"vision weights ({weights.Layers.Count} blocks, width {weights.PostLnGamma.Length}) do not match the model ({vision.Layers} blocks, width {c.HiddenSize}, proj {vision.ProjectionDim})");
        if (hook.Site == HookSite.ResidualPost)
        {
            if (hook.Layer < 0 || hook.Layer >= vision.Layers) throw new ArgumentException($"hook layer {hook.Layer} is outside 0..{vision.Layers - 1}");
            tail = new VisionTail(c, vision.ProjectionDim, weights, hook.Layer);
        }
        Width = hook.RowWidth(vision);
        RowCount = hook.RowsPerSequence(c.Tokens);
        embedding = new float[vision.ProjectionDim]; dEmbedding = new float[vision.ProjectionDim];
        residual = new float[c.Tokens * c.HiddenSize]; dResidual = new float[c.Tokens * c.HiddenSize];
    }

    public SaeHookSpec Hook { get; }
    /// <summary>Rows h has per image.</summary>
    public int RowCount { get; }
    /// <summary>Width of one row of h.</summary>
    public int Width { get; }

    /// <summary>Runs the forward for one preprocessed image (C, H, W) and keeps h (and the stream around it).</summary>
    public HookedImage Capture(ReadOnlySpan<float> pixels)
    {
        if (Hook.Site == HookSite.ImageEmbedding) return new HookedImage(Hook, vision.Encode(pixels, 1), 1, Width, null);
        var stream = vision.ResidualAfter(pixels, 1, Hook.Layer);
        var rows = Hook.SelectRows(stream, 1, vision.Config.Tokens, vision.Config.HiddenSize);
        return new HookedImage(Hook, rows, RowCount, Width, stream);
    }

    /// <summary>y and ∂y/∂h at the captured h, for text embedding <paramref name="text"/> (proj, not necessarily normalised).</summary>
    public ScoreGradient Evaluate(HookedImage image, ReadOnlySpan<float> text) => Evaluate(image, image.Rows, text);

    /// <summary>y and ∂y/∂h with the hooked rows replaced by <paramref name="rows"/> (RowCount, Width).</summary>
    public ScoreGradient Evaluate(HookedImage image, ReadOnlySpan<float> rows, ReadOnlySpan<float> text)
    {
        double y = Forward(image, rows, text);
        var gradient = new float[RowCount * Width];
        ImageTextScore.Gradient(embedding, text, dEmbedding);
        if (tail is null) dEmbedding.CopyTo(gradient, 0);
        else
        {
            tail.Backward(dEmbedding, dResidual);
            Hook.SelectRows(dResidual, 1, vision.Config.Tokens, vision.Config.HiddenSize).CopyTo(gradient, 0);
        }
        return new ScoreGradient(y, (float[])embedding.Clone(), gradient, RowCount, Width);
    }

    /// <summary>y alone with the hooked rows replaced by <paramref name="rows"/> — for ablations and baselines.</summary>
    public double Score(HookedImage image, ReadOnlySpan<float> rows, ReadOnlySpan<float> text) => Forward(image, rows, text);

    /// <summary>The image embedding of the forward continued from the hooked rows replaced by <paramref name="rows"/> (no backward pass).</summary>
    public float[] Embedding(HookedImage image, ReadOnlySpan<float> rows)
    {
        ForwardEmbedding(image, rows);
        return (float[])embedding.Clone();
    }

    double Forward(HookedImage image, ReadOnlySpan<float> rows, ReadOnlySpan<float> text)
    {
        if (text.Length != vision.ProjectionDim) throw new ArgumentException($"text embedding has {text.Length} values, the projection {vision.ProjectionDim}");
        ForwardEmbedding(image, rows);
        return ImageTextScore.Cosine(embedding, text);
    }

    void ForwardEmbedding(HookedImage image, ReadOnlySpan<float> rows)
    {
        if (image.Hook != Hook) throw new ArgumentException($"the image was captured at hook {image.Hook.HookName}, this gradient is for {Hook.HookName}");
        if (rows.Length != RowCount * Width) throw new ArgumentException($"rows hold {rows.Length} floats, the hook has {RowCount} × {Width}");
        if (tail is null) rows.CopyTo(embedding);
        else
        {
            image.Residual.AsSpan().CopyTo(residual);
            Hook.ScatterRows(rows, residual, 1, vision.Config.Tokens, vision.Config.HiddenSize);
            tail.Forward(residual, embedding);
        }
    }
}
