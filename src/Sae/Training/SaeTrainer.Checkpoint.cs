using System.Text.Json;
using System.Text.Json.Nodes;
using Actors.Sae.Architectures;
using Actors.Sae.Formats;
using Actors.Vision.Checkpoints;

namespace Actors.Sae.Training;

/// <summary>
/// Checkpoints of a training run. One file holds everything a resumed run needs to continue bit-identically:
/// parameters and Adam moments (tensors), and in its safetensors metadata the SAE and training configs, step, tokens
/// seen, dead-latent counters and the data position (row count, and a positioned source's own position). There is
/// no RNG state to keep: every random draw is derived from (seed, step) or (seed, shuffle window) by SplitMix64.
/// The file is written beside its final name and renamed over it, so a process killed while saving leaves the
/// previous checkpoint whole. <see cref="ProgressFile"/> repeats the progress as plain JSON for people; resuming
/// never reads it.
/// </summary>
public sealed partial class SaeTrainer
{
    public const string StateFile = "training_state.safetensors", ProgressFile = "training_progress.json";
    const string ProgressKey = "progress";

    public void SaveCheckpoint(string directory)
    {
        Directory.CreateDirectory(directory);
        int d = Sae.DIn, m = Sae.DSae;
        NamedTensor T(string name, float[] data, params int[] shape) => NamedTensor.F32(name, shape, data);
        var progress = new JsonObject
        {
            ["sae"] = SaeLensFolder.ConfigJson(Sae.Config),
            ["training"] = JsonSerializer.SerializeToNode(Training),
            ["step"] = Step, ["tokens_seen"] = TokensSeen, ["initialised"] = initialised,
            ["source_position"] = sourcePosition,
            ["tokens_since_fired"] = JsonSerializer.SerializeToNode(TokensSinceFired),
        }.ToJsonString();
        string state = Path.Combine(directory, StateFile), pending = state + ".pending";
        SafeTensorsFile.Write(pending,
        [
            T("W_enc_t", Sae.EncoderWeights, m, d), T("b_enc", Sae.EncoderBias, m), T("W_dec", Sae.DecoderWeights, m, d), T("b_dec", Sae.DecoderBias, d),
            T("adam.m.W_enc_t", mEnc, m, d), T("adam.v.W_enc_t", vEnc, m, d), T("adam.m.b_enc", mBEnc, m), T("adam.v.b_enc", vBEnc, m),
            T("adam.m.W_dec", mDec, m, d), T("adam.v.W_dec", vDec, m, d), T("adam.m.b_dec", mBDec, d), T("adam.v.b_dec", vBDec, d),
        ], metadata: new Dictionary<string, string> { [ProgressKey] = progress });
        File.Move(pending, state, overwrite: true);   // rename(2): atomic on POSIX file systems
        string readable = Path.Combine(directory, ProgressFile);
        File.WriteAllText(readable + ".pending", progress);
        File.Move(readable + ".pending", readable, overwrite: true);
    }

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint <see cref="Resume"/> can continue.</summary>
    public static bool HasCheckpoint(string directory) => File.Exists(Path.Combine(directory, StateFile));

    /// <summary>The step a checkpoint was taken at (read from its metadata, without loading the tensors).</summary>
    public static long CheckpointStep(string directory) => (long)ReadProgress(directory)["step"]!;

    /// <summary>
    /// Continues the interrupted run checkpointed in <paramref name="directory"/> when there is one, else starts
    /// afresh. A checkpoint of another SAE (architecture, d_in, d_sae, k, hook or source model differ) is refused
    /// rather than trained on. Call <see cref="DeleteCheckpoint"/> once a run has completed, so that the next run
    /// with the same settings (e.g. on a retrained model at the same path) does not take up the finished one.
    /// </summary>
    public static SaeTrainer ResumeOrStart(string directory, SaeConfig config, SaeTrainingConfig training)
    {
        if (!HasCheckpoint(directory)) return new SaeTrainer(config, training);
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
        foreach (var file in new[] { StateFile, ProgressFile })
        {
            File.Delete(Path.Combine(directory, file));
            File.Delete(Path.Combine(directory, file + ".pending"));
        }
        if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any()) Directory.Delete(directory);
    }

    /// <summary>Continues a run from <see cref="SaveCheckpoint"/>'s file; the next step is bit-identical to an uninterrupted run.</summary>
    public static SaeTrainer Resume(string directory)
    {
        var p = ReadProgress(directory);
        string statePath = Path.Combine(directory, StateFile);
        var (config, _) = SaeLensFolder.ParseConfig(p["sae"]!.ToJsonString(), statePath);
        var training = p["training"].Deserialize<SaeTrainingConfig>()!;
        var trainer = new SaeTrainer(config, training);
        var state = SafeTensorsFile.Read(statePath);
        void Load(string name, float[] into)
        {
            if (!state.TryGetValue(name, out var t)) throw new SaeFormatException($"{statePath}: missing tensor '{name}'");
            if (t.Data.Length != into.Length) throw new SaeFormatException($"{statePath}: tensor '{name}' has {t.Data.Length} values, expected {into.Length}");
            t.Data.CopyTo(into, 0);
        }
        var s = trainer.Sae;
        Load("W_enc_t", s.EncoderWeights); Load("b_enc", s.EncoderBias); Load("W_dec", s.DecoderWeights); Load("b_dec", s.DecoderBias);
        Load("adam.m.W_enc_t", trainer.mEnc); Load("adam.v.W_enc_t", trainer.vEnc); Load("adam.m.b_enc", trainer.mBEnc); Load("adam.v.b_enc", trainer.vBEnc);
        Load("adam.m.W_dec", trainer.mDec); Load("adam.v.W_dec", trainer.vDec); Load("adam.m.b_dec", trainer.mBDec); Load("adam.v.b_dec", trainer.vBDec);
        trainer.Step = (long)p["step"]!; trainer.TokensSeen = (long)p["tokens_seen"]!; trainer.initialised = (bool)p["initialised"]!;
        trainer.sourcePosition = (string?)p["source_position"];
        p["tokens_since_fired"].Deserialize<long[]>()!.CopyTo(trainer.TokensSinceFired, 0);
        return trainer;
    }

    static JsonObject ReadProgress(string directory)
    {
        string statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(statePath)) throw new FileNotFoundException($"no SAE training checkpoint in {directory} (missing {StateFile})", statePath);
        if (!SafeTensorsFile.ReadMetadata(statePath).TryGetValue(ProgressKey, out var json))
            throw new SaeFormatException($"{statePath}: no '{ProgressKey}' metadata; not a checkpoint of this trainer");
        return JsonNode.Parse(json)!.AsObject();
    }
}
