using System.Text.Json;
using Actors.Grains.Blobs;
using Actors.Grains.Latents;
using Actors.Grains.Registry;
using Actors.Sae;
using Actors.Sae.Architectures;
using Actors.Sae.Matching;
using Actors.Vision.Clip;
using Actors.Vision.Imaging;
using Orleans;

namespace Actors.GpuHost.Jobs.Retraining;

/// <summary>One entry of a published mapping: new latent ← old latent, the match score and its parts.</summary>
public sealed record LineageEntry(int NewLatent, int OldLatent, double Score, double Cosine, double? CoActivation);

/// <summary>What GET /api/saes/{id}/lineage returns (stored as JSON in the blob store).</summary>
public sealed record LineageDocument(string SaeId, string ParentSaeId, int Version, string? JobId, string Method, double Threshold,
    int CoActivationImages, LineageEntry[] Entries, int[] UnmatchedNew, int[] UnmatchedOld);

/// <summary>
/// Stable latent identity from one SAE version to the next (<see cref="LatentMatcher"/>): co-activation is measured
/// on up to N images of the corpora the parent was ingested on, which both versions encode here (so it exists
/// without waiting for the new version's ingestion); the mapping is published in the blob store and recorded as the
/// new SAE's lineage; each matched new latent takes its partner's semantic labels, marked with where they came
/// from and the match score, unless it already has labels of its own.
/// </summary>
public static class LatentLineage
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Both versions' firing over the same images (the parent's hook and the new one's, each on its own rows).</summary>
    public static (LatentFiring Newer, LatentFiring Older)? Firing(ClipVisionModel vision, ClipPreprocessor preprocessor,
        IReadOnlyList<Ingestion.CorpusItem> images, SparseAutoencoder newer, SaeHookSpec newerHook, SparseAutoencoder older, SaeHookSpec olderHook)
    {
        if (images.Count == 0) return null;
        var batches = new ImageBatches(images, preprocessor).Read().ToList();
        int total = batches.Sum(b => b.Count);
        if (total == 0) return null;
        var (a, b) = (new LatentFiring(newer.DSae, total), new LatentFiring(older.DSae, total));
        int first = 0;
        foreach (var batch in batches)
        {
            foreach (var (sae, hook, firing) in new[] { (newer, newerHook, a), (older, olderHook, b) })
            {
                int per = hook.RowsPerSequence(vision.Config.Tokens);
                firing.Add(sae.Encode(hook.Read(vision, batch.Pixels, batch.Count), batch.Count * per), per, first);
            }
            first += batch.Count;
        }
        return (a, b);
    }

    public static LineageDocument Document(string saeId, string parentId, int version, string jobId, LatentMatching m) =>
        new(saeId, parentId, version, jobId, m.Method, m.Threshold, m.CoActivationImages,
            [.. m.Matches.Select(x => new LineageEntry(x.NewLatent, x.OldLatent, x.Score, x.Cosine, x.CoActivation))], m.UnmatchedNew, m.UnmatchedOld);

    /// <summary>Stores the mapping and records the lineage on the new SAE.</summary>
    public static async Task<SaeLineage> PublishAsync(IGrainFactory grains, IBlobStore blobs, LineageDocument document, CancellationToken ct)
    {
        string hash = await blobs.PutAsync(JsonSerializer.SerializeToUtf8Bytes(document, Json), ct);
        var lineage = new SaeLineage(document.ParentSaeId, document.Version, document.JobId, hash, document.Method, document.Entries.Length);
        await grains.GetGrain<ISaeGrain>(document.SaeId).SetLineageAsync(lineage);
        return lineage;
    }

    /// <summary>Carries semantic labels over the matches, a few latents at a time; returns how many latents received labels.</summary>
    public static async Task<int> CarryLabelsAsync(IGrainFactory grains, LineageDocument document, Action<int> progress, CancellationToken ct)
    {
        int carried = 0, done = 0;
        foreach (var chunk in document.Entries.Chunk(64))
        {
            ct.ThrowIfCancellationRequested();
            var results = await Task.WhenAll(chunk.Select(async e =>
            {
                var old = await grains.GetGrain<ILatentGrain>(LatentKey.Of(document.ParentSaeId, e.OldLatent)).GetAsync();
                if (old.SemanticLabels is not { } labels) return false;
                var target = grains.GetGrain<ILatentGrain>(LatentKey.Of(document.SaeId, e.NewLatent));
                if ((await target.GetAsync()).SemanticLabels is { CarriedFrom: null }) return false;   // its own labels win
                await target.SetSemanticLabelsAsync(labels with { CarriedFrom = new CarriedLabels(document.ParentSaeId, e.OldLatent, e.Score) });
                return true;
            }));
            carried += results.Count(r => r);
            progress(done += chunk.Length);
        }
        return carried;
    }
}
