using Actors.Api.Contracts;
using Actors.GpuHost.Jobs.Retraining;
using Actors.Grains.Registry;
using Orleans;

namespace Actors.Api.Endpoints;

/// <summary>
/// Checks a retraining request field by field and fills what it leaves out from the parent SAE, so the job's
/// parameters state everything it runs with. The first invalid field is reported by name.
/// </summary>
internal static class RetrainingRequestResolver
{
    public sealed record Resolved(SaeRetrainingParameters? Parameters, (string Field, string Message)? Error);

    static Resolved Fail(string field, string message) => new(null, (field, message));

    public static async Task<Resolved> ResolveAsync(string saeId, RetrainSaeRequest r, SaeView parent, ModelRecord model, IGrainFactory grains)
    {
        var record = parent.Record!;
        string architecture = r.Architecture ?? (SaeRetrainingParameters.Architectures.Contains(record.Architecture) ? record.Architecture : "topk");
        if (!SaeRetrainingParameters.Architectures.Contains(architecture))
            return Fail("architecture", $"architecture '{architecture}' is not one of {string.Join(", ", SaeRetrainingParameters.Architectures)} (JumpReLU SAEs are not trained here)");
        int width = r.Width ?? record.DSae;
        if (width is < 1 or > 1 << 20) return Fail("width", $"width {width} must be in 1..{1 << 20}");
        int? k = architecture == "topk" ? r.K ?? (record.Architecture == "topk" ? record.K : null) : null;
        if (architecture == "topk" && k is null && record.Architecture != "topk")
            return Fail("k", $"k is required: parent '{saeId}' is not a top-k SAE");
        if (k is { } kv && (kv < 1 || kv > width)) return Fail("k", $"k {kv} must be in 1..width ({width})");
        int layer = r.Layer ?? record.Hook.Layer;
        if (layer < 0 || layer >= model.VisionLayers) return Fail("layer", $"layer {layer} is outside 0..{model.VisionLayers - 1} of model '{record.ModelId}'");
        string tokens = r.Tokens ?? record.Hook.Tokens;
        if (tokens is not ("all" or "cls" or "patches")) return Fail("tokens", $"tokens '{tokens}' is not one of all, cls, patches");

        var corpora = r.CorpusIds ?? parent.Corpora;
        if (corpora.Length == 0) return Fail("corpusIds", $"corpusIds is required: SAE '{saeId}' was not ingested on any corpus to default to");
        for (int i = 0; i < corpora.Length; i++)
            if (string.IsNullOrWhiteSpace(corpora[i]) || (await grains.GetGrain<ICorpusGrain>(corpora[i]).GetAsync()).Source is null)
                return Fail("corpusIds", $"corpusIds[{i}]: no corpus '{corpora[i]}' is registered");

        long steps = r.Steps ?? 1000;
        if (steps is < 1 or > 10_000_000) return Fail("steps", $"steps {steps} must be in 1..10,000,000");
        int batch = r.BatchSize ?? 4096;
        if (batch is < 1 or > 65_536) return Fail("batchSize", $"batchSize {batch} must be in 1..65,536");
        float lr = r.LearningRate ?? 4e-4f;
        if (!(lr > 0 && lr <= 1)) return Fail("learningRate", $"learningRate {lr} must be in (0, 1]");
        float l1 = r.L1Coefficient ?? 0;
        if (architecture == "standard" && !(l1 > 0 && float.IsFinite(l1))) return Fail("l1Coefficient", "l1Coefficient must be positive for a standard (ReLU + L1) SAE");
        int every = r.CheckpointEvery ?? (int)Math.Clamp(steps / 10, 1, 1000);
        if (every < 1) return Fail("checkpointEvery", $"checkpointEvery {every} must be at least 1");
        int evaluation = r.EvaluationImages ?? 256;
        if (evaluation is < 1 or > 100_000) return Fail("evaluationImages", $"evaluationImages {evaluation} must be in 1..100,000");
        double threshold = r.MatchThreshold ?? 0.7;
        if (!(threshold > 0 && threshold <= 1)) return Fail("matchThreshold", $"matchThreshold {threshold} must be in (0, 1]");
        int coActivation = r.CoActivationImages ?? 256;
        if (coActivation is < 0 or > 100_000) return Fail("coActivationImages", $"coActivationImages {coActivation} must be in 0..100,000");

        int version = SaeLineage.VersionOf(parent.Lineage) + 1;
        string root = parent.Lineage is { } l && saeId.EndsWith($"-v{l.Version}", StringComparison.Ordinal) ? saeId[..^$"-v{l.Version}".Length] : saeId;
        string newId = r.NewSaeId ?? $"{root}-v{version}";
        if (Problems.CheckId(newId, "newSaeId") is { } idError) return Fail("newSaeId", idError);
        return new(new SaeRetrainingParameters(saeId, newId, architecture, width, k, layer, tokens, corpora, steps, batch, lr, l1,
            r.Seed ?? 1, every, evaluation, threshold, coActivation, r.Reingest ?? false), null);
    }
}
