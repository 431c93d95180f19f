using Actors.Vision.Clip;

namespace Actors.Sae;

/// <summary>Which tokens of a residual-stream activation an SAE reads.</summary>
public enum TokenSelection
{
    /// <summary>Only the class token (token 0), as the attributing-clip SAEs (seed 000).</summary>
    Cls,
    /// <summary>Only the spatial (patch) tokens 1..T-1.</summary>
    Patches,
    /// <summary>CLS and all patches, as PatchSAE (seed 002 Sec. 3.1).</summary>
    All,
}

/// <summary>
/// Where an SAE is applied: the residual stream after block <paramref name="Layer"/> and which of its tokens, or the
/// final image embedding (<see cref="HookSite.ImageEmbedding"/>, one row per image, Layer −1); and the hook's name as
/// the releasing project spells it (e.g. "blocks.10.hook_resid_post", or <see cref="ImageEmbedsName"/>).
/// </summary>
public sealed record SaeHookSpec(int Layer, TokenSelection Tokens, string HookName, HookSite Site = HookSite.ResidualPost)
{
    /// <summary>The name an SAE folder's metadata.hook_name gives the image-embedding hook (Hugging Face's field name
    /// for CLIPVisionModelWithProjection's unnormalised output).</summary>
    public const string ImageEmbedsName = "image_embeds";

    /// <summary>The SAE reads CLIP's image embedding (class token, LN_post, projection, not normalised): Layer −1 as
    /// "after the whole tower", class token only.</summary>
    public static SaeHookSpec ImageEmbeds { get; } = new(-1, TokenSelection.Cls, ImageEmbedsName, HookSite.ImageEmbedding);

    /// <summary>
    /// The hook a name denotes: <see cref="ImageEmbedsName"/> is the image embedding whatever layer or tokens are given;
    /// any other name is a residual hook at <paramref name="layer"/>, or at the block number the name carries
    /// ("blocks.7.…", "layers.7.…", "resblocks.7.…"; −1 when it carries none), reading <paramref name="tokens"/> (all by default).
    /// </summary>
    public static SaeHookSpec FromName(string hookName, int? layer = null, TokenSelection? tokens = null) =>
        hookName == ImageEmbedsName ? ImageEmbeds : new SaeHookSpec(layer ?? LayerFromHookName(hookName), tokens ?? TokenSelection.All, hookName);

    static int LayerFromHookName(string hook)
    {
        var parts = hook.Split('.');
        for (int i = 0; i + 1 < parts.Length; i++)
            if (parts[i] is "blocks" or "layers" or "resblocks" && int.TryParse(parts[i + 1], out int layer)) return layer;
        return -1;
    }

    /// <summary>Number of rows this selection yields from a batch of <paramref name="tokens"/>-token sequences.</summary>
    public int RowsPerSequence(int tokens) => Site == HookSite.ImageEmbedding ? 1 : Tokens switch
    {
        TokenSelection.Cls => 1,
        TokenSelection.Patches => tokens - 1,
        _ => tokens,
    };

    /// <summary>Width of one hooked row: the projection dimension for the image embedding, the residual width otherwise.</summary>
    public int RowWidth(ClipVisionModel vision) => Site == HookSite.ImageEmbedding ? vision.ProjectionDim : vision.Config.HiddenSize;

    /// <summary>
    /// The hooked rows (batch·RowsPerSequence, RowWidth) of preprocessed images. Residual hooks: the forward stops at the
    /// hook's block, and a class-token hook runs that block for the class tokens alone
    /// (<see cref="ClipVisionModel.ClassTokenResidualAfter"/>); with every token hooked the residual already is the rows,
    /// in order. The image-embedding hook runs the whole tower: the rows are <see cref="ClipVisionModel.Encode(ReadOnlySpan{float}, int, ResidualHook?)"/>.
    /// </summary>
    public float[] Read(ClipVisionModel vision, ReadOnlySpan<float> pixels, int batch) => Site switch
    {
        HookSite.ImageEmbedding => vision.Encode(pixels, batch),
        _ => Tokens switch
        {
            TokenSelection.Cls => vision.ClassTokenResidualAfter(pixels, batch, Layer),
            TokenSelection.All => vision.ResidualAfter(pixels, batch, Layer),
            _ => SelectRows(vision.ResidualAfter(pixels, batch, Layer), batch, vision.Config.Tokens, vision.Config.HiddenSize),
        },
    };

    /// <summary>
    /// Image embeddings (batch, proj) with the hooked rows replaced by <paramref name="edit"/>(rows, rowCount) — the one
    /// place an SAE is spliced into the forward (x̂ for "loss recovered", zeros for ablation, edited activations for
    /// steering). Residual hooks edit the stream after block Layer and the forward continues from it; the
    /// image-embedding hook edits the embeddings themselves.
    /// </summary>
    public float[] EncodeEdited(ClipVisionModel vision, ReadOnlySpan<float> pixels, int batch, Func<float[], int, float[]> edit)
    {
        float[] Apply(float[] rows, int count)
        {
            var edited = edit(rows, count);
            if (edited.Length != rows.Length)
                throw new ArgumentException($"hook {HookName}: the edit returned {edited.Length} floats for {count} rows of {rows.Length / Math.Max(count, 1)}");
            return edited;
        }
        if (Site == HookSite.ImageEmbedding) return Apply(vision.Encode(pixels, batch), batch);
        return vision.Encode(pixels, batch, (layer, residual) =>
        {
            if (layer != Layer) return;
            var rows = SelectRows(residual.Values, residual.Batch, residual.Tokens, residual.Width);
            ScatterRows(Apply(rows, residual.Batch * RowsPerSequence(residual.Tokens)), residual.Values, residual.Batch, residual.Tokens, residual.Width);
        });
    }

    /// <summary>Copies the selected tokens of residual (batch, tokens, dim) into rows (batch·RowsPerSequence, dim).</summary>
    public float[] SelectRows(ReadOnlySpan<float> residual, int batch, int tokens, int dim)
    {
        RequireResidual();
        if (residual.Length != (long)batch * tokens * dim)
            throw new ArgumentException($"hook {HookName}: residual holds {residual.Length} floats, expected batch {batch} × tokens {tokens} × dim {dim}");
        if (tokens < 2 && Tokens == TokenSelection.Patches)
            throw new ArgumentException($"hook {HookName}: patch tokens requested but sequences have {tokens} token(s)");
        int per = RowsPerSequence(tokens), first = Tokens == TokenSelection.Patches ? 1 : 0;
        var rows = new float[(long)batch * per * dim];
        for (int b = 0; b < batch; b++)
            residual.Slice((b * tokens + first) * dim, per * dim).CopyTo(rows.AsSpan(b * per * dim, per * dim));
        return rows;
    }

    /// <summary>Writes rows (as produced by <see cref="SelectRows"/>) back into their token slots of residual.</summary>
    public void ScatterRows(ReadOnlySpan<float> rows, Span<float> residual, int batch, int tokens, int dim)
    {
        RequireResidual();
        int per = RowsPerSequence(tokens), first = Tokens == TokenSelection.Patches ? 1 : 0;
        if (rows.Length != (long)batch * per * dim)
            throw new ArgumentException($"hook {HookName}: {rows.Length} floats of rows, expected {batch * per * dim}");
        for (int b = 0; b < batch; b++)
            rows.Slice(b * per * dim, per * dim).CopyTo(residual.Slice((b * tokens + first) * dim, per * dim));
    }

    void RequireResidual()
    {
        if (Site != HookSite.ResidualPost)
            throw new InvalidOperationException($"hook {HookName} reads the image embedding, not a residual stream: there are no token rows to select");
    }
}
