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

/// <summary>Where an SAE is applied: residual stream after block <paramref name="Layer"/>, which tokens, and the
/// hook's name as the releasing project spells it (e.g. "blocks.10.hook_resid_post").</summary>
public sealed record SaeHookSpec(int Layer, TokenSelection Tokens, string HookName)
{
    /// <summary>Number of rows this selection yields from a batch of <paramref name="tokens"/>-token sequences.</summary>
    public int RowsPerSequence(int tokens) => Tokens switch
    {
        TokenSelection.Cls => 1,
        TokenSelection.Patches => tokens - 1,
        _ => tokens,
    };

    /// <summary>
    /// The hooked rows (batch·RowsPerSequence, dim) of preprocessed images: the forward stops at the hook's block,
    /// and a class-token hook runs that block for the class tokens alone (<see cref="ClipVisionModel.ClassTokenResidualAfter"/>).
    /// With every token hooked the residual already is the rows, in order.
    /// </summary>
    public float[] Read(ClipVisionModel vision, ReadOnlySpan<float> pixels, int batch) => Tokens switch
    {
        TokenSelection.Cls => vision.ClassTokenResidualAfter(pixels, batch, Layer),
        TokenSelection.All => vision.ResidualAfter(pixels, batch, Layer),
        _ => SelectRows(vision.ResidualAfter(pixels, batch, Layer), batch, vision.Config.Tokens, vision.Config.HiddenSize),
    };

    /// <summary>Copies the selected tokens of residual (batch, tokens, dim) into rows (batch·RowsPerSequence, dim).</summary>
    public float[] SelectRows(ReadOnlySpan<float> residual, int batch, int tokens, int dim)
    {
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
        int per = RowsPerSequence(tokens), first = Tokens == TokenSelection.Patches ? 1 : 0;
        if (rows.Length != (long)batch * per * dim)
            throw new ArgumentException($"hook {HookName}: {rows.Length} floats of rows, expected {batch * per * dim}");
        for (int b = 0; b < batch; b++)
            rows.Slice(b * per * dim, per * dim).CopyTo(residual.Slice((b * tokens + first) * dim, per * dim));
    }
}
