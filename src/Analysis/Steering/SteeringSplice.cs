using Actors.Sae.Architectures;

namespace Actors.Analysis.Steering;

/// <summary>
/// The steered hooked rows: a = SAE(h), a' = a with the interventions applied, and
/// h' = decode(a') + (h − decode(a)) — the SAE's reconstruction of the edited code plus the error term ε(h) kept,
/// so the forward continues from exactly h wherever a' = a. Decode is affine in a (x̂ = (b_dec + Σ_j a_j v_j) / s,
/// s the activation scale), so h' = h + Σ_j (a'_j − a_j) v_j / s; computing it that way touches only the edited
/// latents' decoder rows and gives h' = h bit for bit when every edit leaves its activation unchanged (set to the
/// current value, scale 1, add 0). <see cref="Apply"/> has the shape <see cref="Actors.Sae.SaeHookSpec.EncodeEdited"/> takes.
/// </summary>
public sealed class SteeringSplice
{
    readonly SparseAutoencoder sae;
    readonly int[] latents;                       // distinct edited latents, first appearance first
    readonly LatentIntervention[][] edits;        // per distinct latent, its interventions in order

    public SteeringSplice(SparseAutoencoder sae, IReadOnlyList<LatentIntervention> interventions)
    {
        foreach (var i in interventions)
        {
            if ((uint)i.Latent >= (uint)sae.DSae) throw new ArgumentOutOfRangeException(nameof(interventions), $"latent {i.Latent} is outside 0..{sae.DSae - 1}");
            if (!float.IsFinite(i.Value)) throw new ArgumentException($"latent {i.Latent}: intervention value {i.Value} is not finite");
        }
        this.sae = sae;
        Interventions = interventions;
        var groups = interventions.GroupBy(i => i.Latent).ToArray();   // GroupBy keeps first-appearance and in-group order
        latents = groups.Select(g => g.Key).ToArray();
        edits = groups.Select(g => g.ToArray()).ToArray();
    }

    public IReadOnlyList<LatentIntervention> Interventions { get; }

    /// <summary>h' for hooked rows h (count, d_in); a new array, h is not changed.</summary>
    public float[] Apply(float[] rows, int count)
    {
        int d = sae.DIn;
        if (rows.Length != (long)count * d) throw new ArgumentException($"{rows.Length} floats are not {count} rows of d_in {d}");
        var result = (float[])rows.Clone();
        if (latents.Length == 0 || count == 0) return result;
        var activations = sae.Encode(rows, count);
        float inverseScale = 1f / sae.Config.ActivationScale;
        Parallel.For(0, count, () => new float[sae.DSae], (r, _, dense) =>
        {
            var idx = activations.RowIndices(r); var val = activations.RowValues(r);
            for (int i = 0; i < idx.Length; i++) dense[idx[i]] = val[i];
            var row = result.AsSpan(r * d, d);
            for (int l = 0; l < latents.Length; l++)
            {
                int j = latents[l];
                float before = dense[j], after = before;
                foreach (var edit in edits[l]) after = edit.Apply(after);
                if (after != before)
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(sae.DecoderWeights.AsSpan(j * d, d), (after - before) * inverseScale, row, row);
            }
            for (int i = 0; i < idx.Length; i++) dense[idx[i]] = 0;
            return dense;
        }, _ => { });
        return result;
    }
}
