using System.Numerics.Tensors;
using Actors.Sae.Architectures;
using Actors.Tensors.Kernels;

namespace Actors.Sae.Training;

public enum ReconstructionLoss
{
    /// <summary>mean over tokens of ‖x − x̂‖².</summary>
    Mse,
    /// <summary>mean over tokens of ‖x/‖x‖ − x̂/‖x̂‖‖² (seed 000 App. A Eq. 10).</summary>
    NormalisedMse,
}

/// <summary>What the training loss contains. AuxK applies to top-k SAEs, L1 to ReLU ("standard") SAEs.</summary>
public sealed record SaeLossOptions(ReconstructionLoss Reconstruction = ReconstructionLoss.Mse, float L1Coefficient = 0f,
    int AuxK = 0, float AuxKCoefficient = 1f / 32);

/// <summary>Gradients of the loss, dense arrays in the SAE's layout; only latents with <see cref="Touched"/> set
/// have been written this step (the rest are stale and mean 0).</summary>
public sealed class SaeGradients(int dIn, int dSae)
{
    public float[] EncoderWeights { get; } = new float[(long)dSae * dIn];
    public float[] EncoderBias { get; } = new float[dSae];
    public float[] DecoderWeights { get; } = new float[(long)dSae * dIn];
    public float[] DecoderBias { get; } = new float[dIn];
    public bool[] Touched { get; } = new bool[dSae];

    /// <summary>Copies with untouched latents zeroed — for tests and finite differences.</summary>
    public (float[] Enc, float[] BEnc, float[] Dec) Dense()
    {
        var enc = (float[])EncoderWeights.Clone(); var bEnc = (float[])EncoderBias.Clone(); var dec = (float[])DecoderWeights.Clone();
        for (int j = 0; j < dSae; j++)
            if (!Touched[j]) { Array.Clear(enc, j * dIn, dIn); bEnc[j] = 0; Array.Clear(dec, j * dIn, dIn); }
        return (enc, bEnc, dec);
    }
}

public sealed record SaeStepStatistics(double Loss, double Reconstruction, double L1, double AuxK, double MeanL0, int[] FiredLatents);

/// <summary>
/// Loss and gradients of one batch, exploiting sparsity: the only dense work is the encoder product (sgemm); the
/// decoder, and every gradient — W_dec rows, W_enc rows, b_enc, b_dec — touch only the latents active in some token
/// (k per token for top-k, plus k_aux dead latents for AuxK). Parameter gradients are accumulated per latent over
/// its tokens in row order, so results are deterministic whatever the thread count.
/// </summary>
public static class SaeObjective
{
    readonly record struct Entry(int Row, float PreGrad, float DecoderCoefficient, bool Aux);

    /// <param name="x">the batch (rows, d_in), already multiplied by the activation scale</param>
    /// <param name="deadLatents">ascending dead latent ids (AuxK candidates); empty for none</param>
    /// <param name="auxTarget">the residual AuxK reconstructs; default x − x̂. The gradient never flows through it
    /// (stop-gradient), so finite-difference checks pass it fixed.</param>
    public static SaeStepStatistics Compute(SparseAutoencoder sae, ReadOnlySpan<float> x, int rows, SaeLossOptions options,
        ReadOnlySpan<int> deadLatents, SaeGradients grads, float[]? auxTarget = null)
    {
        int d = sae.DIn, m = sae.DSae;
        if (x.Length != (long)rows * d) throw new ArgumentException($"objective: batch holds {x.Length} floats, expected {rows}×{d}");
        var input = x.ToArray();
        if (sae.Config.ApplyBDecToInput)
            for (int r = 0; r < rows; r++) TensorPrimitives.Subtract(input.AsSpan(r * d, d), sae.DecoderBias, input.AsSpan(r * d, d));
        bool useAux = sae is TopKSae && options.AuxK > 0 && options.AuxKCoefficient > 0 && deadLatents.Length > 0;
        int kAux = useAux ? Math.Min(options.AuxK, deadLatents.Length) : 0;
        var dead = deadLatents.ToArray();

        // 1. Encoder product in chunks, activation, and AuxK selection among dead latents.
        var actIdx = new int[rows][]; var actVal = new float[rows][];
        var auxIdx = new int[rows][]; var auxVal = new float[rows][];
        int chunk = Math.Min(SparseAutoencoder.ChunkRows, Math.Max(1, rows));
        var pre = new float[(long)chunk * m];
        int max = sae.MaxActivePerRow;
        for (int start = 0; start < rows; start += chunk)
        {
            int mm = Math.Min(chunk, rows - start);
            Blas.Sgemm(false, true, mm, m, d, 1f, input.AsSpan(start * d, mm * d), d, sae.EncoderWeights, d, 0f, pre, m);
            Parallel.For(0, mm, () => (new int[max], new float[max]), (r, _, s) =>
            {
                var row = pre.AsSpan(r * m, m);
                int n = sae.ActivateRow(row, s.Item1, s.Item2);
                actIdx[start + r] = s.Item1[..n]; actVal[start + r] = s.Item2[..n];
                if (kAux > 0)
                {
                    var ai = new int[kAux]; var av = new float[kAux];
                    TopKSelection.SelectRowAmong(row, sae.EncoderBias, dead, kAux, ai, av);
                    for (int i = 0; i < kAux; i++) av[i] = Math.Max(0, av[i]); // ReLU as in TopK (Gao et al. App. A.2)
                    auxIdx[start + r] = ai; auxVal[start + r] = av;
                }
                return s;
            }, _ => { });
        }

        // 2. Per token: decode, losses, dL/dx̂, dL_aux/dê, and per-latent pre-activation gradients.
        var dXhat = new float[(long)rows * d]; var dEhat = kAux > 0 ? new float[(long)rows * d] : [];
        var preGrad = new float[rows][]; var auxPreGrad = new float[rows][];
        var recLoss = new double[rows]; var auxLoss = new double[rows]; var l1 = new double[rows]; var l0 = new int[rows];
        float invRows = 1f / rows;
        var xArr = x.ToArray();
        Parallel.For(0, rows, () => (new float[d], new float[d]), (r, _, buf) =>
        {
            var (xhat, ehat) = buf;
            var xr = xArr.AsSpan(r * d, d);
            sae.DecoderBias.CopyTo(xhat);
            var idx = actIdx[r]; var val = actVal[r];
            double l1r = 0; int l0r = 0;
            for (int i = 0; i < idx.Length; i++)
                if (val[i] > 0) { TensorPrimitives.MultiplyAdd(sae.DecoderWeights.AsSpan(idx[i] * d, d), val[i], xhat, xhat); l1r += val[i]; l0r++; }
            var g = dXhat.AsSpan(r * d, d);
            if (options.Reconstruction == ReconstructionLoss.Mse)
            {
                TensorPrimitives.Subtract(xhat, xr, g);
                recLoss[r] = TensorPrimitives.Dot(g, g);
                TensorPrimitives.Multiply(g, 2f * invRows, g);
            }
            else
            {
                // L = ‖t − u‖², t = x/‖x‖, u = x̂/‖x̂‖;  dL/dx̂ = −2 (t − u (u·t)) / ‖x̂‖.
                float nx = Math.Max(TensorPrimitives.Norm(xr), 1e-12f), nh = Math.Max(TensorPrimitives.Norm(xhat), 1e-12f);
                float ut = TensorPrimitives.Dot(xhat, xr) / (nx * nh);
                recLoss[r] = Math.Max(0, 2 - 2 * (double)ut);
                for (int i = 0; i < d; i++) g[i] = -2f * invRows * (xr[i] / nx - xhat[i] / nh * ut) / nh;
            }
            var pg = new float[idx.Length];
            float l1Grad = options.L1Coefficient * invRows;
            for (int i = 0; i < idx.Length; i++)
                pg[i] = val[i] > 0 ? TensorPrimitives.Dot(g, sae.DecoderWeights.AsSpan(idx[i] * d, d)) + l1Grad : 0f;
            preGrad[r] = pg; l1[r] = l1r; l0[r] = l0r;
            if (kAux > 0)
            {
                // AuxK (Gao et al. App. A.2): ê = Σ_dead z_j W_dec[j] reconstructs the detached error e = x − x̂.
                ehat.AsSpan().Clear();
                var ai = auxIdx[r]; var av = auxVal[r];
                for (int i = 0; i < kAux; i++) if (av[i] > 0) TensorPrimitives.MultiplyAdd(sae.DecoderWeights.AsSpan(ai[i] * d, d), av[i], ehat, ehat);
                var ge = dEhat.AsSpan(r * d, d);
                for (int i = 0; i < d; i++) ge[i] = ehat[i] - (auxTarget is null ? xr[i] - xhat[i] : auxTarget[r * d + i]);
                auxLoss[r] = TensorPrimitives.Dot(ge, ge);
                TensorPrimitives.Multiply(ge, 2f * options.AuxKCoefficient * invRows, ge);
                var apg = new float[kAux];
                for (int i = 0; i < kAux; i++) apg[i] = av[i] > 0 ? TensorPrimitives.Dot(ge, sae.DecoderWeights.AsSpan(ai[i] * d, d)) : 0f;
                auxPreGrad[r] = apg;
            }
            return buf;
        }, _ => { });

        // 3. Group (token, gradient) entries by latent with a counting sort, then one pass per touched latent.
        var counts = new int[m + 1];
        for (int r = 0; r < rows; r++)
        {
            foreach (var j in actIdx[r]) counts[j + 1]++;
            if (kAux > 0) foreach (var j in auxIdx[r]) counts[j + 1]++;
        }
        for (int j = 0; j < m; j++) counts[j + 1] += counts[j];
        var entries = new Entry[counts[m]];
        var fill = (int[])counts.Clone();
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < actIdx[r].Length; i++) entries[fill[actIdx[r][i]]++] = new Entry(r, preGrad[r][i], actVal[r][i], false);
            if (kAux > 0) for (int i = 0; i < kAux; i++) entries[fill[auxIdx[r][i]]++] = new Entry(r, auxPreGrad[r][i], auxVal[r][i], true);
        }
        Array.Clear(grads.Touched);
        var fired = new List<int>();
        Parallel.For(0, m, j =>
        {
            int s = counts[j], e = counts[j + 1];
            if (s == e) return;
            grads.Touched[j] = true;
            var gEnc = grads.EncoderWeights.AsSpan(j * d, d); var gDec = grads.DecoderWeights.AsSpan(j * d, d);
            gEnc.Clear(); gDec.Clear();
            float gb = 0;
            for (int p = s; p < e; p++)
            {
                var en = entries[p];
                if (en.PreGrad != 0) { TensorPrimitives.MultiplyAdd(input.AsSpan(en.Row * d, d), en.PreGrad, gEnc, gEnc); gb += en.PreGrad; }
                if (en.DecoderCoefficient > 0)
                    TensorPrimitives.MultiplyAdd(en.Aux ? dEhat.AsSpan(en.Row * d, d) : dXhat.AsSpan(en.Row * d, d), en.DecoderCoefficient, gDec, gDec);
            }
            grads.EncoderBias[j] = gb;
        });
        for (int j = 0; j < m; j++)
            for (int p = counts[j]; p < counts[j + 1]; p++)
                if (!entries[p].Aux && entries[p].DecoderCoefficient > 0) { fired.Add(j); break; }

        // 4. b_dec: direct path dL/dx̂ summed over tokens; with pre-centering also −Σ_j dL/dpre_j · W_enc[j].
        var gbd = grads.DecoderBias; gbd.AsSpan().Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(gbd, dXhat.AsSpan(r * d, d), gbd);
        if (sae.Config.ApplyBDecToInput)
            for (int j = 0; j < m; j++)
            {
                float sum = 0;
                for (int p = counts[j]; p < counts[j + 1]; p++) sum += entries[p].PreGrad;
                if (sum != 0) TensorPrimitives.MultiplyAdd(sae.EncoderWeights.AsSpan(j * d, d), -sum, gbd, gbd);
            }

        double rec = recLoss.Sum() / rows, l1Loss = options.L1Coefficient * l1.Sum() / rows, aux = options.AuxKCoefficient * auxLoss.Sum() / rows;
        return new SaeStepStatistics(rec + l1Loss + aux, rec, l1Loss, aux, l0.Average(), fired.ToArray());
    }

    /// <summary>Removes from each touched decoder-row gradient its component along the row (SAELens
    /// remove_gradient_parallel_to_decoder_directions), so the step keeps ‖W_dec[j]‖ fixed to first order.</summary>
    public static void RemoveParallelDecoderGradient(SparseAutoencoder sae, SaeGradients grads)
    {
        int d = sae.DIn;
        Parallel.For(0, sae.DSae, j =>
        {
            if (!grads.Touched[j]) return;
            var w = sae.DecoderWeights.AsSpan(j * d, d); var g = grads.DecoderWeights.AsSpan(j * d, d);
            float ww = TensorPrimitives.Dot(w, w);
            if (ww > 0) TensorPrimitives.MultiplyAdd(w, -TensorPrimitives.Dot(g, w) / ww, g, g);
        });
    }
}
