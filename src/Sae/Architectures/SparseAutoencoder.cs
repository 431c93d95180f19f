using System.Buffers;
using System.Numerics.Tensors;
using Actors.Tensors.Kernels;
using Actors.Tensors.Memory;

namespace Actors.Sae.Architectures;

/// <summary>
/// An SAE in inference form (seed 000 Eq. 1): x = Σ_i a_i(x)·v_i + b + ε(x), with v_i the rows of W_dec, b = b_dec.
/// Encoder weights are stored transposed, as (d_sae, d_in) rows — one contiguous encoder direction per latent — so
/// the encoder product is the nn.Linear shape x·Wᵀ and every sparse gradient touches whole rows.
/// Encode / Decode are safe to call from several threads at once (they only read the weights).
/// </summary>
public abstract class SparseAutoencoder
{
    /// <summary>Rows of the encoder product computed per sgemm call; bounds the dense pre-activation buffer.</summary>
    internal const int ChunkRows = 1024;

    public SaeConfig Config { get; }
    public int DIn => Config.DIn;
    public int DSae => Config.DSae;
    /// <summary>W_encᵀ, (d_sae, d_in).</summary>
    public float[] EncoderWeights { get; }
    /// <summary>b_enc, (d_sae).</summary>
    public float[] EncoderBias { get; }
    /// <summary>W_dec, (d_sae, d_in); row i is the latent's feature vector v_i.</summary>
    public float[] DecoderWeights { get; }
    /// <summary>b_dec, (d_in).</summary>
    public float[] DecoderBias { get; }

    protected SparseAutoencoder(SaeConfig config, float[] encoderWeights, float[] encoderBias, float[] decoderWeights, float[] decoderBias)
    {
        config.Validate();
        Config = config;
        Need("W_enc", encoderWeights.Length, (long)config.DSae * config.DIn, $"[{config.DIn}, {config.DSae}]");
        Need("b_enc", encoderBias.Length, config.DSae, $"[{config.DSae}]");
        Need("W_dec", decoderWeights.Length, (long)config.DSae * config.DIn, $"[{config.DSae}, {config.DIn}]");
        Need("b_dec", decoderBias.Length, config.DIn, $"[{config.DIn}]");
        EncoderWeights = encoderWeights; EncoderBias = encoderBias; DecoderWeights = decoderWeights; DecoderBias = decoderBias;
    }

    protected static void Need(string name, long found, long expected, string shape)
    {
        if (found != expected) throw new ArgumentException($"SAE tensor {name}: {found} values, expected {expected} for shape {shape}");
    }

    /// <summary>Largest number of active latents a row can have (k for top-k).</summary>
    public abstract int MaxActivePerRow { get; }

    /// <summary>True when every row has exactly <see cref="MaxActivePerRow"/> entries (top-k).</summary>
    public abstract bool FixedActiveCount { get; }

    /// <summary>
    /// The activation function on one row: reads pre-activations without bias (d_sae), adds b_enc, and writes the
    /// active latents' indices and post-activation values. Returns how many it wrote.
    /// </summary>
    public abstract int ActivateRow(ReadOnlySpan<float> preWithoutBias, Span<int> indices, Span<float> values);

    /// <summary>
    /// The latents whose z = pre + b_enc is positive and, when <paramref name="threshold"/> is given, above its
    /// per-latent threshold (ReLU, or SAELens's JumpReLU ReLU(z)·(z > θ)); writes them in latent order.
    /// </summary>
    protected int ActivateAbove(ReadOnlySpan<float> preWithoutBias, ReadOnlySpan<float> threshold, Span<int> indices, Span<float> values)
    {
        int n = 0;
        for (int j = 0; j < preWithoutBias.Length; j++)
        {
            float v = preWithoutBias[j] + EncoderBias[j];
            if (v > 0 && (threshold.IsEmpty || v > threshold[j])) { indices[n] = j; values[n++] = v; }
        }
        return n;
    }

    /// <summary>The SAE's input: (x·s − b_dec) or x·s, per config. x is (rows, d_in).</summary>
    public float[] PrepareInput(ReadOnlySpan<float> x, int rows)
    {
        CheckRows(x, rows);
        var input = new float[x.Length];
        PrepareInto(x, rows, input);
        return input;
    }

    /// <summary>Writes the SAE's input for x into the first x.Length floats of <paramref name="input"/>.</summary>
    void PrepareInto(ReadOnlySpan<float> x, int rows, Span<float> input)
    {
        input = input[..x.Length];
        x.CopyTo(input);
        if (Config.ActivationScale != 1f) TensorPrimitives.Multiply(input, Config.ActivationScale, input);
        if (Config.ApplyBDecToInput)
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Subtract(input.Slice(r * DIn, DIn), DecoderBias, input.Slice(r * DIn, DIn));
    }

    /// <summary>Latent activations of x (rows, d_in).</summary>
    /// <remarks>The prepared input lives in a pooled buffer for the call: it is a batch's activations (megabytes), which
    /// otherwise came to the large-object heap on every batch an ingestion encodes.</remarks>
    public SparseActivations Encode(ReadOnlySpan<float> x, int rows)
    {
        CheckRows(x, rows);
        var input = ArrayPool<float>.Shared.Rent(x.Length);
        try
        {
            PrepareInto(x, rows, input);
            return EncodePrepared(input, rows);
        }
        finally { ArrayPool<float>.Shared.Return(input); }
    }

    /// <summary>
    /// One dense pre-activation buffer is kept between calls (ChunkRows × d_sae: 192 MiB at d_sae 49,152). Allocating
    /// it per call cost ≈ 10 % of encoding an ingestion batch (zeroing, first-touch page faults): `sae-encode --batch
    /// 1600` median 2,138 → 2,366 tok/s. It lives in transparent huge pages (<see cref="HugePageBuffer"/>): with 4 KiB
    /// pages its first touch took ≈ 49k page faults (≈ 0.3 s of CPU in a server's first ingestion batch here) and every
    /// top-k pass over it a TLB entry per 4 KiB. A call that finds it taken (another thread is encoding) allocates its own.
    /// </summary>
    HugePageBuffer? sparePre;

    internal SparseActivations EncodePrepared(float[] input, int rows)
    {
        int chunk = Math.Min(ChunkRows, Math.Max(rows, 1));
        var pre = Interlocked.Exchange(ref sparePre, null) is { } spare && spare.Length >= (long)chunk * DSae
            ? spare : new HugePageBuffer((long)chunk * DSae);
        try { return EncodeChunks(input, rows, chunk, pre); }
        finally
        {
            var kept = Volatile.Read(ref sparePre);
            if ((kept is null || kept.Length < pre.Length) && Interlocked.CompareExchange(ref sparePre, pre, kept) == kept) kept?.Dispose();
            else pre.Dispose();
        }
    }

    SparseActivations EncodeChunks(float[] input, int rows, int chunk, HugePageBuffer pre)
    {
        int max = MaxActivePerRow;
        int[]? fixedIdx = FixedActiveCount ? new int[(long)rows * max] : null;
        float[]? fixedVal = FixedActiveCount ? new float[(long)rows * max] : null;
        var rowIdx = FixedActiveCount ? null : new int[rows][];
        var rowVal = FixedActiveCount ? null : new float[rows][];
        for (int start = 0; start < rows; start += chunk)
        {
            int m = Math.Min(chunk, rows - start);
            Blas.Sgemm(false, true, m, DSae, DIn, 1f, input.AsSpan(start * DIn, m * DIn), DIn, EncoderWeights, DIn, 0f, pre.Span, DSae);
            Parallel.For(0, m, () => (new int[max], new float[max]), (r, _, scratch) =>
            {
                var row = pre.Slice((long)r * DSae, DSae);
                int g = start + r;
                if (fixedIdx is not null)
                    ActivateRow(row, fixedIdx.AsSpan(g * max, max), fixedVal!.AsSpan(g * max, max));
                else
                {
                    int count = ActivateRow(row, scratch.Item1, scratch.Item2);
                    rowIdx![g] = scratch.Item1[..count]; rowVal![g] = scratch.Item2[..count];
                }
                return scratch;
            }, _ => { });
        }
        if (fixedIdx is not null) return SparseActivations.FixedStride(rows, DSae, max, fixedIdx, fixedVal!);
        var rowStart = new int[rows + 1];
        for (int r = 0; r < rows; r++) rowStart[r + 1] = rowStart[r] + rowIdx![r].Length;
        var indices = new int[rowStart[rows]]; var values = new float[rowStart[rows]];
        for (int r = 0; r < rows; r++) { rowIdx![r].CopyTo(indices, rowStart[r]); rowVal![r].CopyTo(values, rowStart[r]); }
        return new SparseActivations(rows, DSae, rowStart, indices, values);
    }

    /// <summary>x̂ = Σ_i a_i·W_dec[i] + b_dec per row (only the active rows of W_dec are read), divided by the
    /// activation scale. Returns (rows, d_in).</summary>
    public float[] Decode(SparseActivations activations)
    {
        if (activations.LatentCount != DSae) throw new ArgumentException($"decode: activations have {activations.LatentCount} latents, SAE has {DSae}");
        int rows = activations.Rows;
        var output = new float[(long)rows * DIn];
        float inverseScale = 1f / Config.ActivationScale;
        Parallel.For(0, rows, r =>
        {
            var dst = output.AsSpan(r * DIn, DIn);
            DecoderBias.CopyTo(dst);
            var idx = activations.RowIndices(r); var val = activations.RowValues(r);
            for (int i = 0; i < idx.Length; i++)
                if (val[i] != 0) TensorPrimitives.MultiplyAdd(DecoderWeights.AsSpan(idx[i] * DIn, DIn), val[i], dst, dst);
            if (inverseScale != 1f) TensorPrimitives.Multiply(dst, inverseScale, dst);
        });
        return output;
    }

    /// <summary>x̂(x), (rows, d_in).</summary>
    public float[] Reconstruct(ReadOnlySpan<float> x, int rows) => Decode(Encode(x, rows));

    /// <summary>The error term ε(x) = x − x̂(x) (seed 000 Eq. 1), (rows, d_in).</summary>
    public float[] Error(ReadOnlySpan<float> x, int rows)
    {
        var error = Reconstruct(x, rows);
        TensorPrimitives.Subtract(x, error, error);
        return error;
    }

    void CheckRows(ReadOnlySpan<float> x, int rows)
    {
        if (rows < 0 || x.Length != (long)rows * DIn)
            throw new ArgumentException($"SAE input holds {x.Length} floats, expected rows {rows} × d_in {DIn}");
    }

    /// <summary>Builds the inference type matching a config.</summary>
    public static SparseAutoencoder Create(SaeConfig config, float[] encoderWeights, float[] encoderBias,
        float[] decoderWeights, float[] decoderBias, float[]? threshold = null) => config switch
    {
        TopKSaeConfig c => new TopKSae(c, encoderWeights, encoderBias, decoderWeights, decoderBias),
        StandardSaeConfig c => new StandardSae(c, encoderWeights, encoderBias, decoderWeights, decoderBias),
        JumpReluSaeConfig c => new JumpReluSae(c, encoderWeights, encoderBias, decoderWeights, decoderBias,
            threshold ?? throw new ArgumentException("JumpReLU SAE needs a threshold tensor [d_sae]")),
        _ => throw new ArgumentException($"unknown SAE config type {config.GetType().Name}"),
    };

    /// <summary>A fresh SAE with the usual initialisation: W_dec rows random unit vectors, W_enc = W_decᵀ, zero biases
    /// (SAELens; seed 001 App. 10 "encoder weights are the transpose of the decoder weights").</summary>
    public static SparseAutoencoder CreateRandom(SaeConfig config, int seed, float decoderRowNorm = 1f)
    {
        config.Validate();
        var rng = new Random(seed);
        var dec = new float[(long)config.DSae * config.DIn];
        for (int j = 0; j < config.DSae; j++)
        {
            var row = dec.AsSpan(j * config.DIn, config.DIn);
            for (int i = 0; i < row.Length; i++) row[i] = (float)Gaussian(rng);
            TensorPrimitives.Multiply(row, decoderRowNorm / TensorPrimitives.Norm(row), row);
        }
        float[]? threshold = config is JumpReluSaeConfig ? new float[config.DSae] : null;
        return Create(config, (float[])dec.Clone(), new float[config.DSae], dec, new float[config.DIn], threshold);
    }

    internal static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
