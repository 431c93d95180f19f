using System.Numerics.Tensors;
using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Checkpoints;

namespace Actors.Sae.Training;

/// <summary>
/// Trains a top-k or ReLU+L1 SAE on a stream of activations: batches, Adam, warm-up/decay schedule, decoder-gradient
/// projection and row renormalisation, b_dec initialisation, dead-latent tracking with AuxK (top-k) or resampling
/// (ReLU), checkpoints that resume bit-identically. Usage: <c>new SaeTrainer(saeConfig, trainingConfig).Train(source)</c>.
/// </summary>
public sealed class SaeTrainer
{
    public SparseAutoencoder Sae { get; private set; }
    public SaeTrainingConfig Training { get; }
    public long Step { get; private set; }
    public long TokensSeen { get; private set; }
    /// <summary>Tokens since each latent last fired (dead-latent tracking).</summary>
    public long[] TokensSinceFired { get; }
    bool initialised;

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
        source.Seek(TokensSeen);
        SaeTrainingProgress? last = null;
        long stepsThisRun = 0;
        while (Step < TotalSteps && stepsThisRun < stopAfterSteps && !cancellation.IsCancellationRequested)
        {
            int rows = 0;
            while (rows < b) { int n = source.Read(batch.AsSpan(rows * d), b - rows); if (n == 0) break; rows += n; }
            if (rows < b) break; // only whole batches, so every step has the same statistics
            if (!initialised) Initialise(batch, rows);
            last = TrainStep(batch, rows);
            stepsThisRun++;
            progress?.Report(last);
            if (Training.CheckpointEverySteps > 0 && Training.CheckpointDirectory is { } dir && Step % Training.CheckpointEverySteps == 0)
                SaveCheckpoint(dir);
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
        return new SaeTrainingProgress(Step, TotalSteps, TokensSeen, stats.Loss, stats.Reconstruction, stats.AuxK, stats.MeanL0,
            (double)deadCount / m, lr);
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
        var rng = new Random(HashCode.Combine(Training.Seed, Step));
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

    const string StateFile = "training_state.safetensors", ProgressFile = "training_progress.json";

    /// <summary>Parameters and Adam moments (safetensors) plus config, step, tokens and dead-latent counters (json).</summary>
    public void SaveCheckpoint(string directory)
    {
        Directory.CreateDirectory(directory);
        int d = Sae.DIn, m = Sae.DSae;
        NamedTensor T(string name, float[] data, params int[] shape) => NamedTensor.F32(name, shape, data);
        SafeTensorsFile.Write(Path.Combine(directory, StateFile),
        [
            T("W_enc_t", Sae.EncoderWeights, m, d), T("b_enc", Sae.EncoderBias, m), T("W_dec", Sae.DecoderWeights, m, d), T("b_dec", Sae.DecoderBias, d),
            T("adam.m.W_enc_t", mEnc, m, d), T("adam.v.W_enc_t", vEnc, m, d), T("adam.m.b_enc", mBEnc, m), T("adam.v.b_enc", vBEnc, m),
            T("adam.m.W_dec", mDec, m, d), T("adam.v.W_dec", vDec, m, d), T("adam.m.b_dec", mBDec, d), T("adam.v.b_dec", vBDec, d),
        ]);
        var progress = new JsonObject
        {
            ["sae"] = SaeLensFolder.ConfigJson(Sae.Config),
            ["training"] = JsonSerializer.SerializeToNode(Training),
            ["step"] = Step, ["tokens_seen"] = TokensSeen, ["initialised"] = initialised,
            ["tokens_since_fired"] = JsonSerializer.SerializeToNode(TokensSinceFired),
        };
        File.WriteAllText(Path.Combine(directory, ProgressFile), progress.ToJsonString());
    }

    /// <summary>
    /// Continues the interrupted run checkpointed in <paramref name="directory"/> when there is one, else starts
    /// afresh. A checkpoint of another SAE (architecture, d_in, d_sae, k, hook or source model differ) is refused
    /// rather than trained on. Call <see cref="DeleteCheckpoint"/> once a run has completed, so that the next run
    /// with the same settings (e.g. on a retrained model at the same path) does not take up the finished one.
    /// </summary>
    public static SaeTrainer ResumeOrStart(string directory, SaeConfig config, SaeTrainingConfig training)
    {
        if (!File.Exists(Path.Combine(directory, ProgressFile))) return new SaeTrainer(config, training);
        var resumed = Resume(directory);
        var saved = resumed.Sae.Config;
        static string? Model(SaeConfig c) => c.Metadata.TryGetValue("model", out var m) ? m : null;
        if (saved.Architecture != config.Architecture || saved.DIn != config.DIn || saved.DSae != config.DSae
            || (saved as TopKSaeConfig)?.K != (config as TopKSaeConfig)?.K || saved.Hook != config.Hook || Model(saved) != Model(config))
            throw new InvalidOperationException($"{directory} holds the checkpoint of another SAE ({saved.Architecture}, d_in {saved.DIn}, " +
                $"d_sae {saved.DSae}, hook {saved.Hook?.HookName}, model {Model(saved)}); delete it to start this one afresh");
        return resumed;
    }

    /// <summary>Removes <see cref="SaveCheckpoint"/>'s files (and the folder, when nothing else is in it).</summary>
    public static void DeleteCheckpoint(string directory)
    {
        foreach (var file in new[] { StateFile, ProgressFile }) File.Delete(Path.Combine(directory, file));
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory);
    }

    /// <summary>Continues a run from <see cref="SaveCheckpoint"/>'s files; the next step is bit-identical to an uninterrupted run.</summary>
    public static SaeTrainer Resume(string directory)
    {
        var progressPath = Path.Combine(directory, ProgressFile);
        if (!File.Exists(progressPath)) throw new FileNotFoundException($"no SAE training checkpoint in {directory} (missing {ProgressFile})", progressPath);
        var p = JsonNode.Parse(File.ReadAllText(progressPath))!.AsObject();
        var (config, _) = SaeLensFolder.ParseConfig(p["sae"]!.ToJsonString(), progressPath);
        var training = p["training"].Deserialize<SaeTrainingConfig>()!;
        var trainer = new SaeTrainer(config, training);
        var state = SafeTensorsFile.Read(Path.Combine(directory, StateFile));
        void Load(string name, float[] into)
        {
            if (!state.TryGetValue(name, out var t)) throw new SaeFormatException($"{directory}/{StateFile}: missing tensor '{name}'");
            if (t.Data.Length != into.Length) throw new SaeFormatException($"{directory}/{StateFile}: tensor '{name}' has {t.Data.Length} values, expected {into.Length}");
            t.Data.CopyTo(into, 0);
        }
        var s = trainer.Sae;
        Load("W_enc_t", s.EncoderWeights); Load("b_enc", s.EncoderBias); Load("W_dec", s.DecoderWeights); Load("b_dec", s.DecoderBias);
        Load("adam.m.W_enc_t", trainer.mEnc); Load("adam.v.W_enc_t", trainer.vEnc); Load("adam.m.b_enc", trainer.mBEnc); Load("adam.v.b_enc", trainer.vBEnc);
        Load("adam.m.W_dec", trainer.mDec); Load("adam.v.W_dec", trainer.vDec); Load("adam.m.b_dec", trainer.mBDec); Load("adam.v.b_dec", trainer.vBDec);
        trainer.Step = (long)p["step"]!; trainer.TokensSeen = (long)p["tokens_seen"]!; trainer.initialised = (bool)p["initialised"]!;
        p["tokens_since_fired"].Deserialize<long[]>()!.CopyTo(trainer.TokensSinceFired, 0);
        return trainer;
    }
}
