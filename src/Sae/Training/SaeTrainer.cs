using System.Numerics.Tensors;
using Actors.Sae.Architectures;
using Actors.Tensors;

namespace Actors.Sae.Training;

/// <summary>
/// Trains a top-k or ReLU+L1 SAE on a stream of activations: batches, Adam, warm-up/decay schedule, decoder-gradient
/// projection and row renormalisation, b_dec initialisation, dead-latent tracking with AuxK (top-k) or resampling
/// (ReLU), checkpoints that resume bit-identically (SaeTrainer.Checkpoint.cs). Usage:
/// <c>new SaeTrainer(saeConfig, trainingConfig).Train(source)</c>.
/// </summary>
public sealed partial class SaeTrainer
{
    public SparseAutoencoder Sae { get; private set; }
    public SaeTrainingConfig Training { get; }
    public long Step { get; private set; }
    public long TokensSeen { get; private set; }
    /// <summary>Tokens since each latent last fired (dead-latent tracking).</summary>
    public long[] TokensSinceFired { get; }
    bool initialised;
    /// <summary>Where a positioned source stood after the last step (checkpointed, so a resumed run reads on from there).</summary>
    string? sourcePosition;

    readonly float[] mEnc, vEnc, mBEnc, vBEnc, mDec, vDec, mBDec, vBDec;
    readonly SaeGradients grads;

    public SaeTrainer(SaeConfig config, SaeTrainingConfig training)
    {
        if (config is JumpReluSaeConfig) throw new NotSupportedException("JumpReLU SAEs are loaded and run, not trained here");
        Training = training;
        Sae = SparseAutoencoder.CreateRandom(config, training.Seed);
        int d = config.DIn, m = config.DSae;
        (mEnc, vEnc, mDec, vDec) = (new float[(long)m * d], new float[(long)m * d], new float[(long)m * d], new float[(long)m * d]);
        (mBEnc, vBEnc, mBDec, vBDec) = (new float[m], new float[m], new float[d], new float[d]);
        TokensSinceFired = new long[m];
        grads = new SaeGradients(d, m);
    }

    public long TotalSteps => Training.TotalTokens / Training.BatchSize;

    SaeLossOptions LossOptions => new(Training.Reconstruction, Sae is StandardSae ? Training.L1Coefficient : 0f,
        Training.AuxK < 0 ? 0 : Training.AuxK == 0 ? Sae.DIn / 2 : Training.AuxK, Training.AuxKCoefficient);

    /// <summary>Runs until TotalTokens, the source ends, <paramref name="stopAfterSteps"/> more steps, or cancellation.</summary>
    public SaeTrainingProgress? Train(IActivationSource source, IProgress<SaeTrainingProgress>? progress = null,
        long stopAfterSteps = long.MaxValue, CancellationToken cancellation = default)
    {
        if (source.DIn != Sae.DIn) throw new ArgumentException($"activation source has d_in {source.DIn}, SAE expects {Sae.DIn}");
        int b = Training.BatchSize, d = Sae.DIn;
        var batch = new float[(long)b * d];
        if (source is IPositionedActivationSource positioned && sourcePosition is { } at) positioned.Restore(at);
        else source.Seek(TokensSeen);
        SaeTrainingProgress? last = null;
        long stepsThisRun = 0;
        while (Step < TotalSteps && stepsThisRun < stopAfterSteps && !cancellation.IsCancellationRequested)
        {
            int rows = 0;
            while (rows < b) { int n = source.Read(batch.AsSpan(rows * d), b - rows); if (n == 0) break; rows += n; }
            if (rows < b) break; // only whole batches, so every step has the same statistics
            if (!initialised) Initialise(batch, rows);
            last = TrainStep(batch, rows);
            if (source is IPositionedActivationSource p) sourcePosition = p.Position;
            stepsThisRun++;
            if (Training.CheckpointEverySteps > 0 && Training.CheckpointDirectory is { } dir && Step % Training.CheckpointEverySteps == 0)
                SaveCheckpoint(dir);   // before the report, so a report of a checkpoint step follows a saved checkpoint
            progress?.Report(last);
        }
        return last;
    }

    void Initialise(float[] batch, int rows)
    {
        int d = Sae.DIn;
        float scale = 1f;
        if (Training.NormalizeActivations)
        {
            double meanNorm = 0;
            for (int r = 0; r < rows; r++) meanNorm += TensorPrimitives.Norm(batch.AsSpan(r * d, d));
            scale = (float)(Math.Sqrt(d) / (meanNorm / rows));
            Sae = SparseAutoencoder.Create(Sae.Config with { ActivationScale = scale, NormalizeActivations = ActivationNormalization.ExpectedAverageOnlyIn },
                Sae.EncoderWeights, Sae.EncoderBias, Sae.DecoderWeights, Sae.DecoderBias);
        }
        var scaled = batch.AsSpan(0, rows * d).ToArray();
        TensorPrimitives.Multiply(scaled, scale, scaled);
        var init = Training.DecoderBiasInit switch
        {
            DecoderBiasInit.Mean => GeometricMedian.Mean(scaled, rows, d),
            DecoderBiasInit.GeometricMedian => GeometricMedian.Compute(scaled, Math.Min(rows, 4096), d),
            _ => new float[d],
        };
        init.CopyTo(Sae.DecoderBias, 0);
        initialised = true;
    }

    SaeTrainingProgress TrainStep(float[] batch, int rows)
    {
        int d = Sae.DIn, m = Sae.DSae;
        var x = batch.AsSpan(0, rows * d).ToArray();
        if (Sae.Config.ActivationScale != 1f) TensorPrimitives.Multiply(x, Sae.Config.ActivationScale, x);
        var dead = new List<int>();
        for (int j = 0; j < m; j++) if (TokensSinceFired[j] >= Training.DeadAfterTokens) dead.Add(j);
        var stats = SaeObjective.Compute(Sae, x, rows, LossOptions, Sae is TopKSae ? dead.ToArray() : [], grads);
        if (Training.UnitNormDecoder) SaeObjective.RemoveParallelDecoderGradient(Sae, grads);

        Step++;
        float lr = LearningRateSchedule.At(Step - 1, TotalSteps, Training.LearningRate, Training.WarmupSteps, Training.DecaySteps);
        var c = new AdamOptimizer.StepConstants(lr, Training.Beta1, Training.Beta2, Training.Epsilon, Step);
        Parallel.For(0, m, j =>
        {
            var enc = Sae.EncoderWeights.AsSpan(j * d, d); var dec = Sae.DecoderWeights.AsSpan(j * d, d);
            bool touched = grads.Touched[j];
            AdamOptimizer.Update(enc, touched ? grads.EncoderWeights.AsSpan(j * d, d) : [], mEnc.AsSpan(j * d, d), vEnc.AsSpan(j * d, d), c);
            AdamOptimizer.Update(Sae.EncoderBias.AsSpan(j, 1), touched ? grads.EncoderBias.AsSpan(j, 1) : [], mBEnc.AsSpan(j, 1), vBEnc.AsSpan(j, 1), c);
            AdamOptimizer.Update(dec, touched ? grads.DecoderWeights.AsSpan(j * d, d) : [], mDec.AsSpan(j * d, d), vDec.AsSpan(j * d, d), c);
            if (Training.UnitNormDecoder)
            {
                float n = TensorPrimitives.Norm(dec);
                if (n > 0) TensorPrimitives.Multiply(dec, 1f / n, dec);
            }
        });
        AdamOptimizer.Update(Sae.DecoderBias, grads.DecoderBias, mBDec, vBDec, c);

        TokensSeen += rows;
        for (int j = 0; j < m; j++) TokensSinceFired[j] += rows;
        foreach (var j in stats.FiredLatents) TokensSinceFired[j] = 0;
        if (Sae is StandardSae && Training.ResampleEverySteps > 0 && Step % Training.ResampleEverySteps == 0) Resample(x, rows);

        int deadCount = TokensSinceFired.Count(t => t >= Training.DeadAfterTokens);
        double explained = Training.Reconstruction == ReconstructionLoss.Mse ? 1 - stats.Reconstruction * rows / BatchVariance(x, rows, d) : double.NaN;
        return new SaeTrainingProgress(Step, TotalSteps, TokensSeen, stats.Loss, stats.Reconstruction, stats.AuxK, stats.MeanL0,
            (double)deadCount / m, lr, explained);
    }

    /// <summary>Σ_r ‖x_r − x̄‖² over the batch, the denominator of explained variance (as <see cref="Evaluation.SaeEvaluator"/>).</summary>
    static double BatchVariance(float[] x, int rows, int d)
    {
        var mean = new double[d];
        for (int r = 0; r < rows; r++) for (int i = 0; i < d; i++) mean[i] += x[r * d + i];
        for (int i = 0; i < d; i++) mean[i] /= rows;
        double total = 0;
        for (int r = 0; r < rows; r++) for (int i = 0; i < d; i++) { double e = x[r * d + i] - mean[i]; total += e * e; }
        return Math.Max(total, 1e-30);
    }

    /// <summary>Dead-latent resampling for ReLU SAEs (Bricken et al. 2023, simplified as in PatchSAE): each dead latent's
    /// decoder row becomes the normalised centred input of a token drawn ∝ its squared reconstruction loss; its encoder
    /// row that direction at 0.2 × the mean alive encoder norm; b_enc 0; its Adam moments reset.</summary>
    void Resample(float[] x, int rows)
    {
        int d = Sae.DIn, m = Sae.DSae;
        var dead = Enumerable.Range(0, m).Where(j => TokensSinceFired[j] >= Training.DeadAfterTokens).ToArray();
        if (dead.Length == 0) return;
        var recon = Sae.Decode(Sae.EncodePrepared(Sae.PrepareInput(x, rows), rows));
        var weight = new double[rows];
        for (int r = 0; r < rows; r++) { double l = 0; for (int i = 0; i < d; i++) { double e = x[r * d + i] - recon[r * d + i]; l += e * e; } weight[r] = l * l; }
        double total = weight.Sum();
        if (total <= 0) return;
        double aliveNorm = 0; int alive = 0;
        for (int j = 0; j < m; j++) if (TokensSinceFired[j] < Training.DeadAfterTokens) { aliveNorm += TensorPrimitives.Norm(Sae.EncoderWeights.AsSpan(j * d, d)); alive++; }
        float encNorm = 0.2f * (float)(alive > 0 ? aliveNorm / alive : 1);
        // SplitMix64, not System.Random seeded by HashCode.Combine: HashCode is salted per process, and a run resumed in
        // another process must draw the same tokens.
        var rng = new SplitMix64(SplitMix64.Derive((ulong)Training.Seed, (ulong)Step));
        foreach (var j in dead)
        {
            double u = rng.NextDouble() * total; int r = 0;
            while (r < rows - 1 && (u -= weight[r]) > 0) r++;
            var dir = Sae.DecoderWeights.AsSpan(j * d, d);
            TensorPrimitives.Subtract(x.AsSpan(r * d, d), Sae.DecoderBias, dir);
            float n = TensorPrimitives.Norm(dir);
            if (n == 0) continue;
            TensorPrimitives.Multiply(dir, 1f / n, dir);
            TensorPrimitives.Multiply(dir, encNorm, Sae.EncoderWeights.AsSpan(j * d, d));
            Sae.EncoderBias[j] = 0;
            foreach (var a in new[] { mEnc, vEnc, mDec, vDec }) Array.Clear(a, j * d, d);
            mBEnc[j] = vBEnc[j] = 0;
            TokensSinceFired[j] = 0;
        }
    }
}
