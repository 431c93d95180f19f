namespace Actors.Tensors.Kernels;

/// <summary>
/// Multi-head scaled dot-product self-attention core (Vaswani et al. 2017, eq. 1): per head
/// out = softmax(q·kᵀ/√D [+ causal mask]) · v.
/// qkv (B,T,3C) packed [q | k | v] per token, head h owning columns h·D … h·D+D−1 of each part (C = H·D);
/// output (B,T,C) with the heads concatenated; probs (B,H,T,T) the attention weights, saved for backward.
/// Each (batch, head) is two sgemm calls reading q, k, v in place through row stride 3C, no copies.
/// </summary>
public static class Attention
{
    /// <summary>probs may be empty (inference): then per-thread scratch holds each head's weights.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> qkv, Span<float> output, Span<float> probs, int b, int t, int c,
        int heads, bool causal)
    {
        int d = CheckForward("Attention.Forward", qkv.Length, output.Length, probs.Length, b, t, c, heads, allowEmptyProbs: true);
        if (b == 0 || t == 0 || c == 0) return;
        bool keep = !probs.IsEmpty;
        float scale = 1f / MathF.Sqrt(d);
        fixed (float* pq = qkv) fixed (float* po = output) fixed (float* pp = probs)
        {
            nint aq = (nint)pq, ao = (nint)po, ap = (nint)pp;
            long qkvLen = qkv.Length, outLen = output.Length;
            ForEachHead(b, heads, t, d, () => keep ? null : new float[t * t], (pair, scratch) =>
            {
                int bi = pair / heads, h = pair % heads;
                var baseQkv = new ReadOnlySpan<float>((float*)aq, (int)qkvLen).Slice(bi * t * 3 * c);
                var q = baseQkv.Slice(h * d);
                var k = baseQkv.Slice(c + h * d);
                var v = baseQkv.Slice(2 * c + h * d);
                Span<float> p = keep ? new Span<float>((float*)ap + (long)pair * t * t, t * t) : scratch;
                // scores (T,T) = q (T,D) · kᵀ / √D
                Blas.Sgemm(false, true, t, t, d, scale, q, 3 * c, k, 3 * c, 0, p, t);
                for (int i = 0; i < t; i++)
                {
                    // Causal: row i sees keys 0..i only; masked weights are exactly 0.
                    int visible = causal ? i + 1 : t;
                    var row = p.Slice(i * t, t);
                    Softmax.Row(row[..visible]);
                    row[visible..].Clear();
                }
                // out (T,D) in columns h·D.. of output (B,T,C) = probs (T,T) · v (T,D)
                var o = new Span<float>((float*)ao, (int)outLen).Slice(bi * t * c + h * d);
                Blas.Sgemm(false, false, t, d, t, 1, p, t, v, 3 * c, 0, o, c);
            });
        }
    }

    /// <summary>
    /// dOutput (B,T,C), qkv and probs from Forward; writes dQkv (B,T,3C). Per head, with P = probs, S the scores:
    /// dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS·K/√D, dK = dSᵀ·Q/√D.
    /// Masked (causal) weights are 0, so their dS is 0 too and the mask needs no special case.
    /// </summary>
    public static unsafe void Backward(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probs,
        Span<float> dQkv, int b, int t, int c, int heads, bool causal)
    {
        int d = CheckBackward("Attention.Backward", dOutput.Length, qkv.Length, probs.Length, dQkv.Length, b, t, c, heads);
        if (b == 0 || t == 0 || c == 0) return;
        float scale = 1f / MathF.Sqrt(d);
        fixed (float* pdo = dOutput) fixed (float* pq = qkv) fixed (float* pp = probs) fixed (float* pdq = dQkv)
        {
            nint ado = (nint)pdo, aq = (nint)pq, ap = (nint)pp, adq = (nint)pdq;
            int qkvLen = qkv.Length, outLen = dOutput.Length;
            ForEachHead(b, heads, t, d, () => new float[t * t], (pair, dp) =>
            {
                int bi = pair / heads, h = pair % heads;
                var baseQkv = new ReadOnlySpan<float>((float*)aq, qkvLen).Slice(bi * t * 3 * c);
                var q = baseQkv.Slice(h * d);
                var k = baseQkv.Slice(c + h * d);
                var v = baseQkv.Slice(2 * c + h * d);
                var baseD = new Span<float>((float*)adq, qkvLen).Slice(bi * t * 3 * c);
                var dq = baseD.Slice(h * d);
                var dk = baseD.Slice(c + h * d);
                var dv = baseD.Slice(2 * c + h * d);
                var dO = new ReadOnlySpan<float>((float*)ado, outLen).Slice(bi * t * c + h * d);
                var p = new ReadOnlySpan<float>((float*)ap + (long)pair * t * t, t * t);
                Blas.Sgemm(true, false, t, d, t, 1, p, t, dO, c, 0, dv, 3 * c);       // dV (T,D) = Pᵀ·dO
                Blas.Sgemm(false, true, t, t, d, 1, dO, c, v, 3 * c, 0, dp, t);      // dP (T,T) = dO·Vᵀ
                for (int i = 0; i < t; i++)
                {
                    int visible = causal ? i + 1 : t;
                    var row = dp.AsSpan(i * t, t);
                    Softmax.RowBackward(p.Slice(i * t, visible), row[..visible], row[..visible]);
                    row[visible..].Clear();
                }
                Blas.Sgemm(false, false, t, d, t, scale, dp, t, k, 3 * c, 0, dq, 3 * c);  // dQ = dS·K/√D
                Blas.Sgemm(true, false, t, d, t, scale, dp, t, q, 3 * c, 0, dk, 3 * c);   // dK = dSᵀ·Q/√D
            });
        }
    }

    /// <summary>
    /// Runs body(pair, scratch) for every (batch, head) pair. Heads whose products <see cref="Blas.Sgemm"/>
    /// runs in one call (below <see cref="Blas.SplitAbove"/>) run on our threads; larger heads run in order and let it
    /// split each product.
    /// </summary>
    static void ForEachHead(int b, int heads, int t, int d, Func<float[]?> scratch, Action<int, float[]> body)
    {
        int pairs = b * heads;
        bool ownThreads = (long)t * t * d < Blas.SplitAbove && pairs > 1 && 4L * t * t * d * pairs >= RowParallel.MinWorkPerBlock;
        if (!ownThreads)
        {
            var s = scratch() ?? [];
            for (int pair = 0; pair < pairs; pair++) body(pair, s);
            return;
        }
        Parallel.For(0, pairs, () => scratch() ?? [], (pair, _, s) => { body(pair, s); return s; }, _ => { });
    }

    /// <summary>Reference for <see cref="Forward"/>: explicit loops in double.</summary>
    public static void ForwardNaive(ReadOnlySpan<float> qkv, Span<float> output, Span<float> probs, int b, int t, int c,
        int heads, bool causal)
    {
        int d = CheckForward("Attention.ForwardNaive", qkv.Length, output.Length, probs.Length, b, t, c, heads, allowEmptyProbs: true);
        double scale = 1 / Math.Sqrt(d);
        var w = new double[t];
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int j = 0; j < t; j++)
                    {
                        if (causal && j > i) { w[j] = double.NegativeInfinity; continue; }
                        double dot = 0;
                        for (int e = 0; e < d; e++)
                            dot += (double)qkv[(bi * t + i) * 3 * c + h * d + e] * qkv[(bi * t + j) * 3 * c + c + h * d + e];
                        w[j] = dot * scale;
                        max = Math.Max(max, w[j]);
                    }
                    for (int j = 0; j < t; j++) { w[j] = Math.Exp(w[j] - max); sum += w[j]; }
                    for (int j = 0; j < t; j++)
                    {
                        w[j] /= sum;
                        if (!probs.IsEmpty) probs[((bi * heads + h) * t + i) * t + j] = (float)w[j];
                    }
                    for (int e = 0; e < d; e++)
                    {
                        double acc = 0;
                        for (int j = 0; j < t; j++) acc += w[j] * qkv[(bi * t + j) * 3 * c + 2 * c + h * d + e];
                        output[(bi * t + i) * c + h * d + e] = (float)acc;
                    }
                }
    }

    /// <summary>Reference for <see cref="Backward"/>: explicit loops in double, from the saved probs.</summary>
    public static void BackwardNaive(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probs,
        Span<float> dQkv, int b, int t, int c, int heads, bool causal)
    {
        int d = CheckBackward("Attention.BackwardNaive", dOutput.Length, qkv.Length, probs.Length, dQkv.Length, b, t, c, heads);
        double scale = 1 / Math.Sqrt(d);
        var acc = new double[dQkv.Length];
        var dp = new double[t];
        for (int bi = 0; bi < b; bi++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t; i++)
                {
                    int pRow = ((bi * heads + h) * t + i) * t;
                    for (int j = 0; j < t; j++)
                    {
                        double dpj = 0;
                        for (int e = 0; e < d; e++)
                        {
                            double g = dOutput[(bi * t + i) * c + h * d + e];
                            dpj += g * qkv[(bi * t + j) * 3 * c + 2 * c + h * d + e];
                            acc[(bi * t + j) * 3 * c + 2 * c + h * d + e] += probs[pRow + j] * g;   // dV
                        }
                        dp[j] = dpj;
                    }
                    double dot = 0;
                    for (int j = 0; j < t; j++) dot += probs[pRow + j] * dp[j];
                    for (int j = 0; j < t; j++)
                    {
                        if (causal && j > i) continue;
                        double ds = probs[pRow + j] * (dp[j] - dot) * scale;
                        for (int e = 0; e < d; e++)
                        {
                            acc[(bi * t + i) * 3 * c + h * d + e] += ds * qkv[(bi * t + j) * 3 * c + c + h * d + e];   // dQ
                            acc[(bi * t + j) * 3 * c + c + h * d + e] += ds * qkv[(bi * t + i) * 3 * c + h * d + e];   // dK
                        }
                    }
                }
        for (int i = 0; i < acc.Length; i++) dQkv[i] = (float)acc[i];
    }

    static int HeadDim(string kernel, int b, int t, int c, int heads)
    {
        KernelChecks.Positive(kernel, "b", b); KernelChecks.Positive(kernel, "t", t); KernelChecks.Positive(kernel, "c", c);
        if (heads <= 0 || c % heads != 0)
            throw new ArgumentException($"{kernel}: width c = {c} is not divisible into heads = {heads} equal heads");
        return c / heads;
    }

    static int CheckForward(string kernel, int qkv, int output, int probs, int b, int t, int c, int heads, bool allowEmptyProbs)
    {
        int d = HeadDim(kernel, b, t, c, heads);
        KernelChecks.Length(kernel, "qkv", qkv, 3L * b * t * c, $"b·t·3c ({b}·{t}·3·{c})");
        KernelChecks.Length(kernel, "output", output, (long)b * t * c, $"b·t·c ({b}·{t}·{c})");
        if (allowEmptyProbs) KernelChecks.Optional(kernel, "probs", probs, (long)b * heads * t * t, $"b·heads·t·t ({b}·{heads}·{t}·{t})");
        else KernelChecks.Length(kernel, "probs", probs, (long)b * heads * t * t, $"b·heads·t·t ({b}·{heads}·{t}·{t})");
        return d;
    }

    static int CheckBackward(string kernel, int dOutput, int qkv, int probs, int dQkv, int b, int t, int c, int heads)
    {
        int d = CheckForward(kernel, qkv, dOutput, probs, b, t, c, heads, allowEmptyProbs: false);
        KernelChecks.Length(kernel, "dQkv", dQkv, 3L * b * t * c, $"b·t·3c ({b}·{t}·3·{c})");
        return d;
    }
}
